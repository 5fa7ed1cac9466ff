#include "slo/minute_ring.h"

#include <algorithm>

namespace sre::slo {

MinuteRing::MinuteRing(std::size_t capacity, std::size_t counters, std::int64_t first)
    : capacity_(capacity), counters_(counters), counts_(capacity * counters), latest_(first) {}

std::atomic<std::uint64_t>& MinuteRing::slot(std::int64_t minute, std::size_t counter) const {
  const auto index = static_cast<std::size_t>(minute % static_cast<std::int64_t>(capacity_));
  return counts_[index * counters_ + counter];
}

void MinuteRing::advance_to(std::int64_t minute) {
  const std::int64_t latest = latest_.load(std::memory_order_relaxed);
  if (minute <= latest) {
    return;
  }
  const std::int64_t first_new =
      std::max(latest + 1, minute - static_cast<std::int64_t>(capacity_) + 1);
  for (std::int64_t m = first_new; m <= minute; ++m) {
    for (std::size_t c = 0; c < counters_; ++c) {
      slot(m, c).store(0, std::memory_order_relaxed);
    }
  }
  latest_.store(minute, std::memory_order_release);
}

void MinuteRing::add(std::size_t counter, std::uint64_t count) {
  slot(latest_.load(std::memory_order_relaxed), counter)
      .fetch_add(count, std::memory_order_relaxed);
}

std::uint64_t MinuteRing::at(std::int64_t minute, std::size_t counter) const {
  const std::int64_t latest = this->latest();
  if (minute > latest || minute <= latest - static_cast<std::int64_t>(capacity_) || minute < 0) {
    return 0;
  }
  return slot(minute, counter).load(std::memory_order_relaxed);
}

std::uint64_t MinuteRing::sum(std::size_t counter, std::int64_t last, std::int64_t minutes) const {
  std::uint64_t total = 0;
  for (std::int64_t m = last - minutes + 1; m <= last; ++m) {
    total += at(m, counter);
  }
  return total;
}

}  // namespace sre::slo
