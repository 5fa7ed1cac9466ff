// The objectives of monitoring/slo.yaml evaluated inside one process, from its own counters:
// for each objective the SLI over its window, the error budget left and the burn rates over
// 5 m, 1 h and 6 h, now and minute by minute over the last hours. GET /api/v1/slo and the
// /slo page read it. One instance sees only its own traffic; Prometheus, which evaluates the
// same objectives over every replica (the rules `slo generate` writes), is the fleet-wide truth.
//
// How it stays off the request path: requests already count themselves in the lock-free
// metrics that /metrics exposes (obs::HttpMetrics and the prometheus-cpp counters). Nothing is
// added per request. Instead one thread (slo/instance_slo.h) reads those cumulative counters
// every second, as a scrape would, evaluates each objective's selectors on them
// (slo/objective_counter.h), and folds the growth since its last read into the current
// wall-clock minute of a MinuteRing per objective (total and bad events). The ring holds the
// objective's window plus the hours of history: 30 days + 6 hours = 43,560 minutes x 2 counts x
// 8 bytes = 680 KiB per objective, fixed. Readers (any thread) sum the ring's atomics: about
// 90,000 relaxed loads for a 30-day window, no lock.
//
// Counting starts when the process does: until it has run for a whole window, the SLI and
// budget cover the minutes it has seen (observed_minutes says how many).
#pragma once

#include <prometheus/metric_family.h>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "slo/minute_ring.h"
#include "slo/objective_counter.h"
#include "slo/slo_spec.h"

namespace sre::slo {

// The burn-rate windows reported, in minutes; their names are kBurnRateWindowNames.
inline constexpr std::array<std::int64_t, 3> kBurnRateWindowMinutes{5, 60, 360};
inline constexpr std::array<std::string_view, 3> kBurnRateWindowNames{"5m", "1h", "6h"};

using BurnRates = std::array<std::optional<double>, kBurnRateWindowMinutes.size()>;

struct ObjectiveStatus {
  const Objective* objective = nullptr;
  std::string_view not_visible;  // why this process cannot count it, or empty
  std::int64_t observed_minutes = 0;
  std::uint64_t total = 0;  // events over the window (as far as observed)
  std::uint64_t bad = 0;
  std::optional<double> sli;    // good / total; none without events
  double budget_remaining = 1;  // fraction of the window's budget left; below 0 when overspent
  double budget_minutes = 0;    // the whole budget as minutes of full outage: window x (1 - target)
  double budget_remaining_minutes = 0;
  BurnRates burn_rates;  // error ratio / (1 - target); none without events in the window
};

// Minute by minute, oldest first; one entry per minute in each vector.
struct ObjectiveHistory {
  const Objective* objective = nullptr;
  std::vector<double> budget_remaining;
  std::array<std::vector<std::optional<double>>, kBurnRateWindowMinutes.size()> burn_rates;
};

class SloTracker {
 public:
  // `target`: the labels Prometheus gives this process (its scrape job). Counting starts at
  // `started`. The spec must outlive the tracker.
  SloTracker(const SloSpec& spec, const TargetLabels& target,
             std::chrono::system_clock::time_point started);

  // The one writer: folds the counters' growth since the last fold into the minute of `now`.
  void fold(const std::vector<prometheus::MetricFamily>& families,
            std::chrono::system_clock::time_point now);

  // Readers, any thread.
  std::vector<ObjectiveStatus> status() const;
  // The last `minutes` minutes (at most kHistoryMinutes) of each visible objective.
  std::vector<ObjectiveHistory> history(std::int64_t minutes) const;
  // The minute the last fold counted into (minutes since the Unix epoch).
  std::int64_t latest_minute() const;
  std::chrono::system_clock::time_point started() const { return started_; }

 private:
  struct Tracked {
    const Objective* objective;
    ObjectiveCounter counter;
    std::int64_t window_minutes;
    std::unique_ptr<MinuteRing> minutes;  // null when not visible; counters: total, bad
    SliCounts last_read;                  // the fold thread's own
  };

  std::chrono::system_clock::time_point started_;
  std::int64_t first_minute_;
  std::vector<Tracked> tracked_;
};

// Minutes since the Unix epoch.
std::int64_t minute_of(std::chrono::system_clock::time_point time);

}  // namespace sre::slo
