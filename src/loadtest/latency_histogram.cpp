#include "loadtest/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sre::loadtest {

namespace {

constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << LatencyHistogram::kSubBucketBits;
constexpr std::uint64_t kHalf = kSubBuckets / 2;

// The power-of-two range a value falls in: 0 for values below kSubBuckets (recorded exactly),
// then one more for every doubling.
int magnitude_of(std::uint64_t value) {
  return std::max(0, static_cast<int>(std::bit_width(value)) - LatencyHistogram::kSubBucketBits);
}

}  // namespace

// Range b >= 1 holds values [2^(bits+b-1), 2^(bits+b)) in kHalf steps of 2^b: its sub-bucket
// (value >> b) is in [kHalf, kSubBuckets), so its indexes follow range b-1's without a gap.
std::size_t LatencyHistogram::index_of(std::uint64_t value) {
  value = std::min(value, kMaxValue);
  const int magnitude = magnitude_of(value);
  return static_cast<std::size_t>(static_cast<std::uint64_t>(magnitude) * kHalf +
                                  (value >> magnitude));
}

std::uint64_t LatencyHistogram::lowest_in(std::size_t index) {
  if (index < kSubBuckets) {
    return index;
  }
  const std::uint64_t magnitude = index / kHalf - 1;
  return (index - magnitude * kHalf) << magnitude;
}

std::uint64_t LatencyHistogram::highest_in(std::size_t index) {
  if (index < kSubBuckets) {
    return index;
  }
  const std::uint64_t magnitude = index / kHalf - 1;
  return ((index - magnitude * kHalf + 1) << magnitude) - 1;
}

std::size_t LatencyHistogram::bucket_count() {
  return index_of(kMaxValue) + 1;
}

LatencyHistogram::LatencyHistogram()
    : counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bucket_count())) {}

void LatencyHistogram::record(std::uint64_t micros) {
  micros = std::min(micros, kMaxValue);
  bump(counts_[index_of(micros)], 1);
  bump(total_, 1);
  bump(sum_, micros);
  if (micros > max_.load(std::memory_order_relaxed)) {
    max_.store(micros, std::memory_order_relaxed);
  }
  if (micros < min_.load(std::memory_order_relaxed)) {
    min_.store(micros, std::memory_order_relaxed);
  }
}

void LatencyHistogram::add(const LatencyHistogram& other) {
  const std::size_t buckets = bucket_count();
  for (std::size_t i = 0; i < buckets; ++i) {
    if (auto n = other.counts_[i].load(std::memory_order_relaxed); n != 0) {
      bump(counts_[i], n);
    }
  }
  bump(total_, other.total_.load(std::memory_order_relaxed));
  bump(sum_, other.sum_.load(std::memory_order_relaxed));
  max_.store(std::max(max(), other.max()), std::memory_order_relaxed);
  min_.store(
      std::min(min_.load(std::memory_order_relaxed), other.min_.load(std::memory_order_relaxed)),
      std::memory_order_relaxed);
}

std::uint64_t LatencyHistogram::count() const {
  return total_.load(std::memory_order_relaxed);
}

std::uint64_t LatencyHistogram::min() const {
  return count() == 0 ? 0 : min_.load(std::memory_order_relaxed);
}

double LatencyHistogram::mean() const {
  const auto n = count();
  return n == 0
             ? 0.0
             : static_cast<double>(sum_.load(std::memory_order_relaxed)) / static_cast<double>(n);
}

std::uint64_t LatencyHistogram::value_at_percentile(double percent) const {
  // Summed from the buckets rather than read from total_: a snapshot taken while the writer
  // runs stays consistent with itself.
  const std::size_t buckets = bucket_count();
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < buckets; ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
  }
  if (total == 0) {
    return 0;
  }
  const auto wanted = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(
             std::ceil(std::clamp(percent, 0.0, 100.0) / 100.0 * static_cast<double>(total))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets; ++i) {
    seen += counts_[i].load(std::memory_order_relaxed);
    if (seen >= wanted) {
      return std::min(highest_in(i), max());
    }
  }
  return max();
}

std::uint64_t LatencyHistogram::count_at_or_below(std::uint64_t micros) const {
  std::uint64_t seen = 0;
  const std::size_t buckets = bucket_count();
  for (std::size_t i = 0; i < buckets && highest_in(i) <= micros; ++i) {
    seen += counts_[i].load(std::memory_order_relaxed);
  }
  return seen;
}

}  // namespace sre::loadtest
