// The worker's own metrics, lock-free (plain atomics and obs::Histogram), turned into
// Prometheus families at scrape time:
//
//   worker_events_processed_total{event_type,outcome}  counter. event_type: student_created,
//       student_updated, student_deleted, or unknown (malformed); outcome:
//         processed  effects applied now
//         duplicate  delivered again after its effects were applied: nothing done
//         malformed  not a student event; set aside (dead-letter queue, or undeliverable)
//         failed     the database failed: delivered again later
//   worker_event_lag_seconds  histogram: from the change's commit (the event's timestamp) to
//       its effects being applied, for events processed now
//   worker_consuming  gauge: 1 while the worker receives and applies events, 0 while it waits
//       for its database or its event source after a failure, or is not consuming at all
//       (starting, stopping): what the SrePlaygroundWorkerStalled alert watches
#pragma once

#include <prometheus/collectable.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>

#include "domain/student_change.h"
#include "obs/histogram.h"

namespace sre::worker {

enum class Outcome : std::uint8_t { processed, duplicate, malformed, failed };
inline constexpr std::size_t kOutcomes = 4;

class WorkerMetrics : public prometheus::Collectable {
 public:
  static constexpr std::array<double, 14> kLagBuckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0};

  // `kind`: nullopt for an event that could not be read.
  void count(std::optional<domain::ChangeKind> kind, Outcome outcome);
  void observe_lag(double seconds) { lag_.observe(seconds); }
  void set_consuming(bool consuming) { consuming_.store(consuming, std::memory_order_relaxed); }
  bool consuming() const { return consuming_.load(std::memory_order_relaxed); }

  std::uint64_t events(std::optional<domain::ChangeKind> kind, Outcome outcome) const;

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  static constexpr std::size_t kEventTypes = 4;  // the three kinds, then "unknown"
  static std::size_t slot(std::optional<domain::ChangeKind> kind, Outcome outcome);

  std::array<std::atomic<std::uint64_t>, kEventTypes * kOutcomes> events_{};
  obs::Histogram<kLagBuckets> lag_;
  std::atomic<bool> consuming_{false};
};

}  // namespace sre::worker
