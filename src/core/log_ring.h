// The queue between one logging thread and the log writer: a ring of bytes that holds whole
// lines, with exactly one producer (the thread that owns it) and one consumer (the writer's
// background thread). Neither side takes a lock or makes a system call: the producer copies a
// line in and publishes the new end with one atomic store, and the consumer copies every
// published byte out and publishes the new start the same way.
//
// Positions are byte counts since the ring was made (they never wrap in 64 bits); the index in
// the buffer is the position modulo the capacity, a power of two.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sre::log {

class LineRing {
 public:
  // `capacity` is rounded up to a power of two.
  explicit LineRing(std::size_t capacity);
  LineRing(const LineRing&) = delete;
  LineRing& operator=(const LineRing&) = delete;

  // Producer only. Appends `line` (which ends with its newline) whole, or returns false and
  // writes nothing when it does not fit in the free space.
  bool push(std::string_view line);

  // Consumer only. Appends every published byte to `out`, frees it, and returns how many.
  std::size_t drain_into(std::string& out);

  // Either side: whether nothing is waiting for the consumer.
  bool empty() const;

  std::size_t capacity() const { return mask_ + 1; }

 private:
  void copy_in(std::uint64_t position, std::string_view bytes);

  std::unique_ptr<char[]> bytes_;
  std::size_t mask_;
  // Each index on its own cache line, so that the two threads do not slow each other down.
  alignas(64) std::atomic<std::uint64_t> end_{0};    // written by the producer
  std::uint64_t start_seen_by_producer_ = 0;         // a stale copy of start_, refreshed when full
  alignas(64) std::atomic<std::uint64_t> start_{0};  // written by the consumer
};

}  // namespace sre::log
