#include "obs/latency_histogram.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

#include <algorithm>
#include <limits>

namespace sre::obs {

void LatencyHistogram::observe(double seconds) {
  auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(seconds, std::memory_order_relaxed);
}

std::vector<prometheus::MetricFamily> LatencyHistogram::Collect() const {
  prometheus::ClientMetric metric;
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    cumulative += counts_[b].load(std::memory_order_relaxed);
    double bound = b < kBuckets.size() ? kBuckets[b] : std::numeric_limits<double>::infinity();
    metric.histogram.bucket.push_back({cumulative, bound});
  }
  metric.histogram.sample_count = cumulative;
  metric.histogram.sample_sum = sum_.load(std::memory_order_relaxed);
  return {prometheus::MetricFamily{name_, help_, prometheus::MetricType::Histogram, {metric}}};
}

}  // namespace sre::obs
