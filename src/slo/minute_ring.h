// Event counts per wall-clock minute over a fixed number of the latest minutes: the memory of
// the in-process SLO tracker (slo/slo_tracker.h). Each minute holds `counters` counts (for
// an objective: all events and bad events; for a route: requests, errors, latency buckets).
//
// One thread writes (the tracker's fold), any thread reads, without locks: every count is a
// relaxed atomic, and the latest minute is published with release/acquire after the minutes
// it skipped were zeroed. Minute m lives in slot m % capacity, so memory is fixed at
// capacity x counters x 8 bytes (30 days and 2 counters: 43,200 minutes, 675 KiB). A reader
// that races the writer's step into a new minute may see that minute's first counts, or the
// oldest minute of its range already zeroed: an error of at most one minute at the edges.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace sre::slo {

// How far back the minute-by-minute histories (of objectives and of routes) reach: 6 hours.
inline constexpr std::int64_t kHistoryMinutes = 360;

class MinuteRing {
 public:
  // Starts at minute `first` (minutes since the Unix epoch), every count zero.
  MinuteRing(std::size_t capacity, std::size_t counters, std::int64_t first);

  // Writer: makes `minute` the latest (zeroing the minutes in between); an earlier minute
  // (the wall clock stepped back) leaves the latest as it is, and counts go there.
  void advance_to(std::int64_t minute);
  // Writer: adds to a count of the latest minute.
  void add(std::size_t counter, std::uint64_t count);

  std::int64_t latest() const { return latest_.load(std::memory_order_acquire); }
  std::size_t capacity() const { return capacity_; }
  // A count of `minute`; 0 for a minute after latest() or older than capacity minutes.
  std::uint64_t at(std::int64_t minute, std::size_t counter) const;
  // The sum of a count over the `minutes` minutes ending with `last` (inclusive).
  std::uint64_t sum(std::size_t counter, std::int64_t last, std::int64_t minutes) const;

 private:
  std::atomic<std::uint64_t>& slot(std::int64_t minute, std::size_t counter) const;

  std::size_t capacity_;
  std::size_t counters_;
  mutable std::vector<std::atomic<std::uint64_t>> counts_;  // [minute % capacity][counter]
  std::atomic<std::int64_t> latest_;
};

}  // namespace sre::slo
