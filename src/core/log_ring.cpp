#include "core/log_ring.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace sre::log {

LineRing::LineRing(std::size_t capacity)
    : bytes_(new char[std::bit_ceil(capacity)]), mask_(std::bit_ceil(capacity) - 1) {}

bool LineRing::push(std::string_view line) {
  const std::uint64_t end = end_.load(std::memory_order_relaxed);  // only this thread writes it
  if (end + line.size() - start_seen_by_producer_ > capacity()) {
    // Looks full by the last start we read: read the consumer's progress again.
    start_seen_by_producer_ = start_.load(std::memory_order_acquire);
    if (end + line.size() - start_seen_by_producer_ > capacity()) {
      return false;
    }
  }
  copy_in(end, line);
  end_.store(end + line.size(), std::memory_order_release);  // the bytes before the position
  return true;
}

void LineRing::copy_in(std::uint64_t position, std::string_view bytes) {
  const std::size_t index = position & mask_;
  const std::size_t first = std::min(bytes.size(), capacity() - index);
  std::memcpy(bytes_.get() + index, bytes.data(), first);
  std::memcpy(bytes_.get(), bytes.data() + first, bytes.size() - first);  // wrapped around
}

std::size_t LineRing::drain_into(std::string& out) {
  const std::uint64_t start = start_.load(std::memory_order_relaxed);  // only this thread writes it
  const std::uint64_t end = end_.load(std::memory_order_acquire);
  const std::size_t size = end - start;
  const std::size_t index = start & mask_;
  const std::size_t first = std::min(size, capacity() - index);
  out.append(bytes_.get() + index, first);
  out.append(bytes_.get(), size - first);
  start_.store(end, std::memory_order_release);  // the producer may now reuse those bytes
  return size;
}

bool LineRing::empty() const {
  return end_.load(std::memory_order_acquire) == start_.load(std::memory_order_acquire);
}

}  // namespace sre::log
