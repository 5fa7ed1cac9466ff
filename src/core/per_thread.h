// State kept once per I/O thread and touched only by that thread, so it needs no locks: a
// cache shard, a connection pool, a counter. The slot is found by the I/O thread index that
// the HTTP server sets on each of its threads before any start-up hook runs
// (core::set_io_thread_index).
//
// Every slot is built when the PerThread is, one heap object per slot so that two threads'
// slots never share a cache line. The PerThread owns the slots. Code that runs on other
// threads (the main thread, unit tests, SQLite's threads) gets no slot: local() returns
// nullptr and the caller decides what that means (a cache that always misses, a metric shard
// of its own).
//
// Reading another thread's slot (at()) is only safe for state that is itself safe to share,
// such as atomic counters summed by a metrics scrape. Constness is shallow, as with a
// pointer: local() on a const PerThread still gives the thread a slot it may change.
#pragma once

#include <memory>
#include <vector>

#include "core/io_thread.h"

namespace sre::core {

template <typename T>
class PerThread {
 public:
  // `threads` slots (I/O thread indexes 0..threads-1), each built as T(args...).
  template <typename... Args>
  explicit PerThread(unsigned threads, const Args&... args) {
    slots_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) {
      slots_.push_back(std::make_unique<T>(args...));
    }
  }

  // The calling I/O thread's slot; nullptr on any other thread.
  T* local() const {
    auto index = io_thread_index();
    return index && *index < slots_.size() ? slots_[*index].get() : nullptr;
  }

  // The slot of I/O thread `index` (index < size()).
  T& at(unsigned index) const { return *slots_.at(index); }
  unsigned size() const { return static_cast<unsigned>(slots_.size()); }

 private:
  std::vector<std::unique_ptr<T>> slots_;
};

}  // namespace sre::core
