// The SLO view of one running instance: its SloTracker (objectives) and RouteStats (routes),
// and the thread that feeds both. Once a second the thread reads the process's cumulative
// counters (the metric families /metrics renders, through `read_counters`) and folds their
// growth into the current minute; see slo/slo_tracker.h for why this keeps the request path
// untouched. The thread never blocks a request: readers only load atomics.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

#include "slo/route_stats.h"
#include "slo/slo_tracker.h"

namespace sre::slo {

class InstanceSlo {
 public:
  using ReadCounters = std::function<std::vector<prometheus::MetricFamily>()>;
  static constexpr std::chrono::seconds kFoldInterval{1};

  // `target`: this process's labels as a scrape target; `routes` and `latency_bounds`: the
  // HTTP metrics' route labels and latency buckets (RouteStats).
  InstanceSlo(SloSpec spec, const TargetLabels& target, std::vector<std::string> routes,
              std::vector<double> latency_bounds, ReadCounters read_counters);
  // Stops the thread.
  ~InstanceSlo();
  InstanceSlo(const InstanceSlo&) = delete;
  InstanceSlo& operator=(const InstanceSlo&) = delete;

  // Folds once now, then every kFoldInterval on a thread of its own until destroyed.
  void start();

  const SloSpec& spec() const { return spec_; }
  const SloTracker& tracker() const { return tracker_; }
  const RouteStats& routes() const { return routes_; }
  // When the counters were last read.
  std::chrono::system_clock::time_point folded_at() const;

 private:
  void fold();

  SloSpec spec_;
  ReadCounters read_counters_;
  SloTracker tracker_;
  RouteStats routes_;
  std::atomic<std::int64_t> folded_at_ms_{0};
  std::mutex mutex_;  // the fold thread's sleep only
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace sre::slo
