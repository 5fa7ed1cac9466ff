#include "worker/worker_metrics.h"

#include <prometheus/metric_family.h>

#include <string>

namespace sre::worker {

namespace {

constexpr std::array<domain::ChangeKind, 3> kKinds = {
    domain::ChangeKind::created, domain::ChangeKind::updated, domain::ChangeKind::deleted};
constexpr std::array<const char*, kOutcomes> kOutcomeNames = {"processed", "duplicate", "malformed",
                                                              "failed"};

}  // namespace

std::size_t WorkerMetrics::slot(std::optional<domain::ChangeKind> kind, Outcome outcome) {
  const std::size_t type = kind ? static_cast<std::size_t>(*kind) : kKinds.size();
  return type * kOutcomes + static_cast<std::size_t>(outcome);
}

void WorkerMetrics::count(std::optional<domain::ChangeKind> kind, Outcome outcome) {
  events_[slot(kind, outcome)].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t WorkerMetrics::events(std::optional<domain::ChangeKind> kind, Outcome outcome) const {
  return events_[slot(kind, outcome)].load(std::memory_order_relaxed);
}

std::vector<prometheus::MetricFamily> WorkerMetrics::Collect() const {
  prometheus::MetricFamily events{"worker_events_processed_total",
                                  "Events the worker handled, by event type and outcome",
                                  prometheus::MetricType::Counter,
                                  {}};
  auto add = [&](std::optional<domain::ChangeKind> kind, std::string type_name) {
    for (std::size_t o = 0; o < kOutcomes; ++o) {
      prometheus::ClientMetric metric;
      metric.label = {{"event_type", type_name}, {"outcome", kOutcomeNames[o]}};
      metric.counter.value = static_cast<double>(
          events_[slot(kind, static_cast<Outcome>(o))].load(std::memory_order_relaxed));
      events.metric.push_back(std::move(metric));
    }
  };
  for (auto kind : kKinds) {
    add(kind, std::string(domain::event_type(kind)));
  }
  add(std::nullopt, "unknown");

  prometheus::ClientMetric lag_metric;
  lag_metric.histogram = lag_.counts().to_prometheus();
  prometheus::MetricFamily lag{
      "worker_event_lag_seconds",
      "From a change's commit (the event's timestamp) to its effects applied by the worker",
      prometheus::MetricType::Histogram,
      {std::move(lag_metric)}};
  prometheus::ClientMetric consuming_metric;
  consuming_metric.gauge.value = consuming() ? 1 : 0;
  prometheus::MetricFamily consuming{
      "worker_consuming",
      "1 while the worker receives and applies events; 0 while it waits for its database or "
      "event source, or is not consuming",
      prometheus::MetricType::Gauge,
      {std::move(consuming_metric)}};
  return {std::move(events), std::move(lag), std::move(consuming)};
}

}  // namespace sre::worker
