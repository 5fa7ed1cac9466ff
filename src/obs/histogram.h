// The service's one histogram type, without locks (prometheus-cpp's Histogram::Observe takes
// a mutex): fixed buckets, one relaxed atomic add per bucket hit and one for the sum. Used for
// HTTP request latencies (one per series and I/O thread, see obs::HttpMetrics), PostgreSQL
// query durations and Redis command latencies.
//
// The bucket bounds are a template argument, a static array of ascending upper bounds in
// seconds, so a histogram is default-constructible and sits in arrays and vectors as is.
// Reading it (counts()) is a scrape's job: it may run on any thread while others observe.
#pragma once

#include <prometheus/client_metric.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>

namespace sre::obs {

template <const auto& kBounds>
class Histogram {
 public:
  static constexpr std::size_t kSlots = kBounds.size() + 1;  // + "+Inf"

  // Counts read out of one or more histograms (e.g. the shards of one series), summed.
  struct Counts {
    std::array<std::uint64_t, kSlots> buckets{};  // not cumulative
    double sum = 0;

    std::uint64_t count() const;
    // Cumulative buckets; the count is the +Inf bucket's, as Prometheus expects.
    prometheus::ClientMetric::Histogram to_prometheus() const;
  };

  void observe(double seconds) {
    auto bucket = static_cast<std::size_t>(
        std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin());
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(seconds, std::memory_order_relaxed);
  }

  void add_to(Counts& counts) const {
    for (std::size_t b = 0; b < kSlots; ++b) {
      counts.buckets[b] += buckets_[b].load(std::memory_order_relaxed);
    }
    counts.sum += sum_.load(std::memory_order_relaxed);
  }

  Counts counts() const {
    Counts counts;
    add_to(counts);
    return counts;
  }

 private:
  std::array<std::atomic<std::uint64_t>, kSlots> buckets_{};
  std::atomic<double> sum_{0};
};

template <const auto& kBounds>
std::uint64_t Histogram<kBounds>::Counts::count() const {
  std::uint64_t total = 0;
  for (auto n : buckets) {
    total += n;
  }
  return total;
}

template <const auto& kBounds>
prometheus::ClientMetric::Histogram Histogram<kBounds>::Counts::to_prometheus() const {
  prometheus::ClientMetric::Histogram histogram;
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < kSlots; ++b) {
    cumulative += buckets[b];
    double bound = b < kBounds.size() ? kBounds[b] : std::numeric_limits<double>::infinity();
    histogram.bucket.push_back({cumulative, bound});
  }
  histogram.sample_count = cumulative;
  histogram.sample_sum = sum;
  return histogram;
}

}  // namespace sre::obs
