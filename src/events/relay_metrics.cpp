#include "events/relay_metrics.h"

#include <prometheus/metric_family.h>

namespace sre::events {

std::string_view to_string(store::OutboxTopic topic) {
  return topic == store::OutboxTopic::events ? "events" : "audit";
}

BacklogMetrics::BacklogMetrics(obs::Metrics& metrics, store::OutboxTopic topic) {
  auto& registry = metrics.registry();
  const prometheus::Labels labels{{"topic", std::string(to_string(topic))}};
  pending_ = &prometheus::BuildGauge()
                  .Name("outbox_pending")
                  .Help("Outbox rows neither delivered nor given up")
                  .Register(registry)
                  .Add(labels);
  oldest_age_ = &prometheus::BuildGauge()
                     .Name("outbox_oldest_pending_age_seconds")
                     .Help("Age of the oldest pending outbox row (0 when none is pending)")
                     .Register(registry)
                     .Add(labels);
  undeliverable_ = &prometheus::BuildGauge()
                        .Name("outbox_undeliverable")
                        .Help("Outbox rows their destination refused for good (kept, not sent)")
                        .Register(registry)
                        .Add(labels);
  pruned_ = &prometheus::BuildCounter()
                 .Name("outbox_pruned_total")
                 .Help("Delivered outbox rows deleted after OUTBOX_RETENTION_SECONDS")
                 .Register(registry)
                 .Add(labels);
}

void BacklogMetrics::update(const store::OutboxBacklog& backlog) {
  pending_->Set(static_cast<double>(backlog.pending));
  oldest_age_->Set(backlog.oldest_age_seconds);
  undeliverable_->Set(static_cast<double>(backlog.given_up));
}

class DeliveryMetrics::Age : public prometheus::Collectable {
 public:
  explicit Age(std::string destination) : destination_(std::move(destination)) {}
  void observe(double seconds) { histogram_.observe(seconds); }

  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::ClientMetric metric;
    metric.label = {{"destination", destination_}};
    metric.histogram = histogram_.counts().to_prometheus();
    return {prometheus::MetricFamily{
        "outbox_delivery_age_seconds",
        "Time from a change's commit to its destination's acknowledgement (freshness)",
        prometheus::MetricType::Histogram,
        {metric}}};
  }

 private:
  std::string destination_;
  obs::Histogram<kBuckets> histogram_;
};

DeliveryMetrics::DeliveryMetrics(obs::Metrics& metrics, const std::string& destination)
    : age_(std::make_shared<Age>(destination)), breaker_(metrics.registry(), destination) {
  auto& registry = metrics.registry();
  const prometheus::Labels labels{{"destination", destination}};
  published_ = &prometheus::BuildCounter()
                    .Name("events_published_total")
                    .Help("Outbox rows their destination (sqs, dynamodb) acknowledged")
                    .Register(registry)
                    .Add(labels);
  failed_ = &prometheus::BuildCounter()
                 .Name("events_publish_failed_total")
                 .Help("Outbox rows a delivery attempt did not get through (sent again later)")
                 .Register(registry)
                 .Add(labels);
  undeliverable_ = &prometheus::BuildCounter()
                        .Name("events_undeliverable_total")
                        .Help("Outbox rows their destination refused for good")
                        .Register(registry)
                        .Add(labels);
  metrics.add_collectable(age_);
}

void DeliveryMetrics::published(double age_seconds) {
  published_->Increment();
  age_->observe(age_seconds);
}

}  // namespace sre::events
