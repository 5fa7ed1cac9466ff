// An HDR-style (log-linear) histogram of latencies in microseconds: every power of two is cut
// into kSubBuckets / 2 equal steps, so any recorded value is known to within 0.1% from 1 us to
// ~19 hours in a fixed 220 KiB, and recording is one index computation and one increment.
// Percentiles read from it are exact to that resolution, unlike an average or a sample.
//
// One thread records (its load-generating I/O thread); any thread may read at the same time
// (the progress line), so the counts are atomics that the one writer bumps without a locked
// instruction. Snapshots and the final report merge the threads' histograms with add().
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace sre::loadtest {

class LatencyHistogram {
 public:
  // 2^11 sub-buckets: values below 2048 us are exact, above that the step is 1/1024 of the
  // value (three significant digits, as wrk2 and HdrHistogram's default).
  static constexpr int kSubBucketBits = 11;
  // Larger values (a run stuck for hours) are recorded as this one.
  static constexpr std::uint64_t kMaxValue = (std::uint64_t{1} << 36) - 1;

  LatencyHistogram();
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  // By the one writer.
  void record(std::uint64_t micros);
  // Adds `other`'s counts into this one (a snapshot that nobody else writes).
  void add(const LatencyHistogram& other);

  std::uint64_t count() const;
  std::uint64_t max() const { return max_.load(std::memory_order_relaxed); }
  std::uint64_t min() const;
  double mean() const;
  // The smallest value that `percent` (0..100] of the recorded values are at or below, as the
  // highest value its bucket stands for (never above max()). 0 when nothing was recorded.
  std::uint64_t value_at_percentile(double percent) const;
  // How many recorded values are at or below `micros` (to the bucket's resolution: a bucket
  // counts when its highest value is).
  std::uint64_t count_at_or_below(std::uint64_t micros) const;

  // The bucket arithmetic, public for its unit test.
  static std::size_t index_of(std::uint64_t value);
  static std::uint64_t lowest_in(std::size_t index);
  static std::uint64_t highest_in(std::size_t index);
  static std::size_t bucket_count();

 private:
  // Single-writer increment: a plain load and store, no read-modify-write instruction.
  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by) {
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }

  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> sum_{0};
  std::atomic<std::uint64_t> max_{0};
  std::atomic<std::uint64_t> min_{kMaxValue};
};

}  // namespace sre::loadtest
