// Request rate, error rate (5xx) and 99th percentile latency of each route, minute by minute
// over the last kHistoryMinutes: the /slo page's view "by route". Folded by the same thread
// and from the same counters as the SloTracker (slo/slo_tracker.h), so it adds nothing to
// the request path: the HTTP metrics' families http_requests_total (method, route, status)
// and http_request_duration_seconds (method, route), summed over methods.
//
// Memory is fixed: per route a MinuteRing of kHistoryMinutes minutes x (2 + buckets) counts
// (30 routes and 15 buckets: 1.4 MiB). The p99 is estimated from the latency
// histogram's buckets as PromQL's histogram_quantile does: linear within the bucket it falls
// in, and the highest finite bound when it falls in +Inf.
#pragma once

#include <prometheus/metric_family.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "slo/minute_ring.h"

namespace sre::slo {

struct RouteHistory {
  std::string route;
  std::vector<double> requests_per_second;  // oldest first, one per minute
  std::vector<double> errors_per_second;
  std::vector<std::optional<double>> p99_seconds;  // none in a minute without requests
};

// The quantile `q` of a histogram's counts per bucket (not cumulative; the last is +Inf),
// none when empty.
std::optional<double> bucket_quantile(double q, const std::vector<double>& bounds,
                                      const std::vector<std::uint64_t>& counts);

class RouteStats {
 public:
  // `routes`: every route label the HTTP metrics use; `bounds`: their latency buckets' upper
  // bounds, without +Inf.
  RouteStats(std::vector<std::string> routes, std::vector<double> bounds,
             std::chrono::system_clock::time_point started);

  // The one writer (the fold thread).
  void fold(const std::vector<prometheus::MetricFamily>& families,
            std::chrono::system_clock::time_point now);

  // Readers: the last `minutes` minutes (at most kHistoryMinutes) of the routes that had
  // requests in them. The latest minute's rates are over the part of it that has passed.
  std::vector<RouteHistory> history(std::int64_t minutes) const;

 private:
  struct Route {
    std::string label;
    std::unique_ptr<MinuteRing> minutes;  // counters: requests, errors, then one per bucket
    std::vector<double> last_read;        // the fold thread's own: cumulative, same layout
  };
  std::size_t counters() const { return 2 + bounds_.size() + 1; }

  std::vector<double> bounds_;
  std::vector<Route> routes_;
  std::unordered_map<std::string, std::size_t> index_;  // route label -> routes_ index
  std::atomic<std::int64_t> folded_at_seconds_;         // Unix time of the last fold
};

}  // namespace sre::slo
