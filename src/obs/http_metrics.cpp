#include "obs/http_metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include <algorithm>
#include <limits>

namespace sre::obs {
namespace {

thread_local unsigned t_shard = 0;

constexpr std::array<std::string_view, 8> kMethodNames = {"GET",    "POST", "PUT",     "PATCH",
                                                          "DELETE", "HEAD", "OPTIONS", "other"};
constexpr std::size_t kStatusSlots = HttpMetrics::kStatuses.size() + 1;  // + "other"
constexpr std::size_t kBucketSlots = HttpMetrics::kBuckets.size() + 1;   // + "+Inf"

std::size_t method_index(std::string_view method) {
  for (std::size_t i = 0; i + 1 < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == method) {
      return i;
    }
  }
  return kMethodNames.size() - 1;
}

std::size_t status_index(int status) {
  const auto& statuses = HttpMetrics::kStatuses;
  auto it = std::find(statuses.begin(), statuses.end(), status);
  return static_cast<std::size_t>(it - statuses.begin());  // == size(): "other"
}

std::string status_label(std::size_t index) {
  return index < HttpMetrics::kStatuses.size() ? std::to_string(HttpMetrics::kStatuses[index])
                                               : "other";
}

}  // namespace

void set_thread_shard(unsigned shard) {
  t_shard = shard;
}

struct HttpMetrics::Shard {
  explicit Shard(std::size_t series)
      : requests(series * kStatusSlots), buckets(series * kBucketSlots), sums(series) {}
  std::vector<std::atomic<std::uint64_t>> requests;  // [series][status]
  std::vector<std::atomic<std::uint64_t>> buckets;   // [series][bucket], not cumulative
  std::vector<std::atomic<double>> sums;             // [series]
  std::atomic<std::int64_t> in_flight{0};
};

HttpMetrics::HttpMetrics(std::vector<std::string> routes, unsigned shards)
    : routes_(std::move(routes)) {
  for (unsigned i = 0; i < std::max(1U, shards); ++i) {
    shards_.push_back(std::make_unique<Shard>(routes_.size() * kMethods));
  }
}

HttpMetrics::~HttpMetrics() = default;

HttpMetrics::Shard& HttpMetrics::current_shard() const {
  return *shards_[t_shard < shards_.size() ? t_shard : 0];
}

void HttpMetrics::started() {
  current_shard().in_flight.fetch_add(1, std::memory_order_relaxed);
}

void HttpMetrics::finished() {
  // A request may finish on another thread than it started on only if a handler moved it;
  // ours do not, but the sum over shards is right either way.
  current_shard().in_flight.fetch_sub(1, std::memory_order_relaxed);
}

void HttpMetrics::observe(std::size_t route_id, std::string_view method, int status,
                          double seconds) {
  if (route_id >= routes_.size()) {
    route_id = 0;
  }
  Shard& shard = current_shard();
  std::size_t series = series_index(route_id, method_index(method));
  shard.requests[series * kStatusSlots + status_index(status)].fetch_add(1,
                                                                         std::memory_order_relaxed);
  auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  shard.buckets[series * kBucketSlots + bucket].fetch_add(1, std::memory_order_relaxed);
  shard.sums[series].fetch_add(seconds, std::memory_order_relaxed);
}

std::vector<prometheus::MetricFamily> HttpMetrics::Collect() const {
  prometheus::MetricFamily requests{"http_requests_total",
                                    "HTTP requests answered, by method, route template and status",
                                    prometheus::MetricType::Counter,
                                    {}};
  prometheus::MetricFamily durations{
      "http_request_duration_seconds",
      "Time from reading a request to having its response, by method and route template",
      prometheus::MetricType::Histogram,
      {}};

  for (std::size_t route = 0; route < routes_.size(); ++route) {
    for (std::size_t method = 0; method < kMethods; ++method) {
      std::size_t series = series_index(route, method);
      std::array<std::uint64_t, kStatusSlots> by_status{};
      std::array<std::uint64_t, kBucketSlots> by_bucket{};
      double sum = 0;
      for (const auto& shard : shards_) {
        for (std::size_t s = 0; s < kStatusSlots; ++s) {
          by_status[s] +=
              shard->requests[series * kStatusSlots + s].load(std::memory_order_relaxed);
        }
        for (std::size_t b = 0; b < kBucketSlots; ++b) {
          by_bucket[b] += shard->buckets[series * kBucketSlots + b].load(std::memory_order_relaxed);
        }
        sum += shard->sums[series].load(std::memory_order_relaxed);
      }

      std::uint64_t count = 0;
      for (std::size_t s = 0; s < kStatusSlots; ++s) {
        if (by_status[s] == 0) {
          continue;
        }
        prometheus::ClientMetric metric;
        metric.label = {{"method", std::string(kMethodNames[method])},
                        {"route", routes_[route]},
                        {"status", status_label(s)}};
        metric.counter.value = static_cast<double>(by_status[s]);
        requests.metric.push_back(std::move(metric));
        count += by_status[s];
      }
      if (count == 0) {
        continue;
      }
      prometheus::ClientMetric metric;
      metric.label = {{"method", std::string(kMethodNames[method])}, {"route", routes_[route]}};
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b < kBucketSlots; ++b) {
        cumulative += by_bucket[b];
        double bound = b < kBuckets.size() ? kBuckets[b] : std::numeric_limits<double>::infinity();
        metric.histogram.bucket.push_back({cumulative, bound});
      }
      // Shards are read one after another, so count is taken from the buckets we summed:
      // _count always equals the +Inf bucket, as Prometheus expects.
      metric.histogram.sample_count = cumulative;
      metric.histogram.sample_sum = sum;
      durations.metric.push_back(std::move(metric));
    }
  }
  std::int64_t in_flight = 0;
  for (const auto& shard : shards_) {
    in_flight += shard->in_flight.load(std::memory_order_relaxed);
  }
  prometheus::ClientMetric in_flight_metric;
  in_flight_metric.gauge.value = static_cast<double>(in_flight);
  prometheus::MetricFamily in_flight_family{"http_requests_in_flight",
                                            "HTTP requests being handled right now",
                                            prometheus::MetricType::Gauge,
                                            {in_flight_metric}};
  return {std::move(requests), std::move(durations), std::move(in_flight_family)};
}

}  // namespace sre::obs
