// A bulkhead: at most `limit` calls to one dependency at the same time, process-wide. When
// the dependency slows down, calls pile up; without a cap they would hold every connection
// and coroutine frame the process has, and a slow grade service would slow down student
// reads too. Over the cap, a call is refused at once (the caller uses its fallback).
//
// One atomic counter; a Slot releases its place when it goes out of scope.
#pragma once

#include <atomic>

namespace sre::resilience {

class Bulkhead {
 public:
  explicit Bulkhead(int limit) : limit_(limit) {}

  class Slot {
   public:
    Slot() = default;
    explicit Slot(Bulkhead* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }
    explicit operator bool() const { return owner_ != nullptr; }
    void release();

   private:
    Bulkhead* owner_ = nullptr;
  };

  // An empty Slot when the bulkhead is full.
  Slot try_enter();
  int in_use() const { return in_use_.load(std::memory_order_relaxed); }
  int limit() const { return limit_; }

 private:
  int limit_;
  std::atomic<int> in_use_{0};
};

}  // namespace sre::resilience
