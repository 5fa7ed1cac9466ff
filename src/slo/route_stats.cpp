#include "slo/route_stats.h"

#include <algorithm>
#include <cmath>

namespace sre::slo {

namespace {

// The HTTP metrics' families (obs/http_metrics.h) and their labels.
constexpr std::string_view kRequests = "http_requests_total";
constexpr std::string_view kDurations = "http_request_duration_seconds";
constexpr std::size_t kRequestCount = 0;
constexpr std::size_t kErrorCount = 1;
constexpr std::size_t kFirstBucket = 2;

std::string_view label_of(const prometheus::ClientMetric& metric, std::string_view name) {
  for (const auto& label : metric.label) {
    if (label.name == name) {
      return label.value;
    }
  }
  return {};
}

}  // namespace

std::optional<double> bucket_quantile(double q, const std::vector<double>& bounds,
                                      const std::vector<std::uint64_t>& counts) {
  std::uint64_t total = 0;
  for (auto count : counts) {
    total += count;
  }
  if (total == 0) {
    return std::nullopt;
  }
  const double rank = q * static_cast<double>(total);
  std::uint64_t below = 0;
  for (std::size_t b = 0; b < counts.size(); ++b) {
    if (static_cast<double>(below + counts[b]) >= rank && counts[b] > 0) {
      if (b >= bounds.size()) {
        return bounds.empty() ? std::nullopt : std::optional<double>(bounds.back());
      }
      const double lower = b == 0 ? 0.0 : bounds[b - 1];
      const double within = (rank - static_cast<double>(below)) / static_cast<double>(counts[b]);
      return lower + (bounds[b] - lower) * within;
    }
    below += counts[b];
  }
  return bounds.empty() ? std::nullopt : std::optional<double>(bounds.back());
}

RouteStats::RouteStats(std::vector<std::string> routes, std::vector<double> bounds,
                       std::chrono::system_clock::time_point started)
    : bounds_(std::move(bounds)),
      folded_at_seconds_(
          std::chrono::floor<std::chrono::seconds>(started.time_since_epoch()).count()) {
  const std::int64_t first = folded_at_seconds_.load() / 60;
  routes_.reserve(routes.size());
  for (auto& label : routes) {
    index_.emplace(label, routes_.size());
    routes_.push_back({std::move(label),
                       std::make_unique<MinuteRing>(kHistoryMinutes, counters(), first),
                       std::vector<double>(counters(), 0.0)});
  }
}

void RouteStats::fold(const std::vector<prometheus::MetricFamily>& families,
                      std::chrono::system_clock::time_point now) {
  std::vector<std::vector<double>> reading(routes_.size(), std::vector<double>(counters(), 0.0));
  for (const auto& family : families) {
    const bool requests = family.name == kRequests;
    if (!requests && family.name != kDurations) {
      continue;
    }
    for (const auto& metric : family.metric) {
      auto route = index_.find(std::string(label_of(metric, "route")));
      if (route == index_.end()) {
        continue;
      }
      auto& counts = reading[route->second];
      if (requests) {
        counts[kRequestCount] += metric.counter.value;
        if (label_of(metric, "status").starts_with('5')) {
          counts[kErrorCount] += metric.counter.value;
        }
        continue;
      }
      // Cumulative buckets to a count per bucket.
      double below = 0;
      const auto& buckets = metric.histogram.bucket;
      for (std::size_t b = 0; b < buckets.size() && b <= bounds_.size(); ++b) {
        const auto cumulative = static_cast<double>(buckets[b].cumulative_count);
        counts[kFirstBucket + b] += cumulative - below;
        below = cumulative;
      }
    }
  }
  const std::int64_t seconds =
      std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    Route& route = routes_[r];
    route.minutes->advance_to(seconds / 60);
    for (std::size_t c = 0; c < counters(); ++c) {
      const double now_count = reading[r][c];
      const double before = route.last_read[c];
      const double delta = now_count >= before ? now_count - before : now_count;
      if (delta > 0) {
        route.minutes->add(c, static_cast<std::uint64_t>(std::llround(delta)));
      }
    }
    route.last_read = std::move(reading[r]);
  }
  folded_at_seconds_.store(seconds, std::memory_order_release);
}

std::vector<RouteHistory> RouteStats::history(std::int64_t minutes) const {
  minutes = std::clamp<std::int64_t>(minutes, 1, kHistoryMinutes);
  const std::int64_t folded_at = folded_at_seconds_.load(std::memory_order_acquire);
  std::vector<RouteHistory> histories;
  std::vector<std::uint64_t> buckets(bounds_.size() + 1);
  for (const auto& route : routes_) {
    const MinuteRing& ring = *route.minutes;
    const std::int64_t latest = ring.latest();
    const std::int64_t first = latest - minutes + 1;
    if (ring.sum(kRequestCount, latest, minutes) == 0) {
      continue;
    }
    RouteHistory history;
    history.route = route.label;
    for (std::int64_t m = first; m <= latest; ++m) {
      // The latest minute has lasted only until the last fold.
      const double seconds =
          m == latest ? static_cast<double>(std::clamp<std::int64_t>(folded_at - m * 60 + 1, 1, 60))
                      : 60.0;
      history.requests_per_second.push_back(static_cast<double>(ring.at(m, kRequestCount)) /
                                            seconds);
      history.errors_per_second.push_back(static_cast<double>(ring.at(m, kErrorCount)) / seconds);
      for (std::size_t b = 0; b < buckets.size(); ++b) {
        buckets[b] = ring.at(m, kFirstBucket + b);
      }
      history.p99_seconds.push_back(bucket_quantile(0.99, bounds_, buckets));
    }
    histories.push_back(std::move(history));
  }
  return histories;
}

}  // namespace sre::slo
