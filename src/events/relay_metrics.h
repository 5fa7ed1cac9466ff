// What the outbox relay counts and shows. Every series is created at construction; recording
// is a relaxed atomic add or store.
//
//   outbox_pending{topic}                        rows neither delivered nor given up
//   outbox_oldest_pending_age_seconds{topic}     age of the oldest of them (0 when none)
//   outbox_undeliverable{topic}                  rows the destination refused for good
//   outbox_pruned_total{topic}                   delivered rows deleted after the retention
//   events_published_total{destination}          rows the destination acknowledged
//   events_publish_failed_total{destination}     rows a delivery attempt did not get through
//   events_undeliverable_total{destination}      rows refused for good (sender fault)
//   outbox_delivery_age_seconds{destination}     commit to acknowledgement (freshness)
//   circuit_breaker_state{name}, circuit_breaker_transitions_total{name,from,to}  for "sqs"
//                                                and "dynamodb" (resilience::BreakerMetrics)
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <array>
#include <memory>
#include <string>

#include "obs/histogram.h"
#include "obs/metrics.h"
#include "resilience/breaker_metrics.h"
#include "store/event_store.h"

namespace sre::events {

// The gauges of one outbox table.
class BacklogMetrics {
 public:
  BacklogMetrics(obs::Metrics& metrics, store::OutboxTopic topic);
  void update(const store::OutboxBacklog& backlog);
  void pruned(std::int64_t rows) { pruned_->Increment(static_cast<double>(rows)); }

 private:
  prometheus::Gauge* pending_ = nullptr;
  prometheus::Gauge* oldest_age_ = nullptr;
  prometheus::Gauge* undeliverable_ = nullptr;
  prometheus::Counter* pruned_ = nullptr;
};

// The series of one destination ("sqs", "dynamodb") and its breaker.
class DeliveryMetrics {
 public:
  // Upper bounds in seconds of commit-to-acknowledgement: fine around the objective (250 ms
  // at p99), coarse beyond, where an outage stretches it to minutes.
  static constexpr std::array<double, 20> kBuckets = {0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1,
                                                      0.15,  0.2,  0.25, 0.3,  0.4,  0.5,   1.0,
                                                      2.5,   5.0,  10.0, 30.0, 60.0, 300.0};

  DeliveryMetrics(obs::Metrics& metrics, const std::string& destination);

  // A row acknowledged `age_seconds` after its change was committed.
  void published(double age_seconds);
  void failed(std::size_t rows) { failed_->Increment(static_cast<double>(rows)); }
  void undeliverable(std::size_t rows) { undeliverable_->Increment(static_cast<double>(rows)); }
  void transition(const resilience::BreakerTransition& transition) {
    breaker_.transition(transition);
  }

 private:
  class Age;  // outbox_delivery_age_seconds{destination}, collected at scrape time
  std::shared_ptr<Age> age_;
  prometheus::Counter* published_ = nullptr;
  prometheus::Counter* failed_ = nullptr;
  prometheus::Counter* undeliverable_ = nullptr;
  resilience::BreakerMetrics breaker_;
};

std::string_view to_string(store::OutboxTopic topic);

}  // namespace sre::events
