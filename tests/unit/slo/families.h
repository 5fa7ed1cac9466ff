// Metric families as a process's /metrics would hold them, built by hand for the SLO tests.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

namespace sre::slo::testing {

using Labels = std::vector<prometheus::ClientMetric::Label>;

inline prometheus::ClientMetric counter(Labels labels, double value) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = value;
  return metric;
}

// `per_bucket`: counts per bucket (not cumulative), the last one +Inf.
inline prometheus::ClientMetric histogram(Labels labels, const std::vector<double>& bounds,
                                          const std::vector<std::uint64_t>& per_bucket) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < per_bucket.size(); ++b) {
    cumulative += per_bucket[b];
    metric.histogram.bucket.push_back(
        {cumulative, b < bounds.size() ? bounds[b] : std::numeric_limits<double>::infinity()});
  }
  metric.histogram.sample_count = cumulative;
  return metric;
}

inline prometheus::MetricFamily family(std::string name, prometheus::MetricType type,
                                       std::vector<prometheus::ClientMetric> metrics) {
  return {std::move(name), "help", type, std::move(metrics)};
}

}  // namespace sre::slo::testing
