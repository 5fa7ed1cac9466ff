#include "obs/http_metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include <algorithm>

namespace sre::obs {
namespace {

constexpr std::array<std::string_view, 8> kMethodNames = {"GET",    "POST", "PUT",     "PATCH",
                                                          "DELETE", "HEAD", "OPTIONS", "other"};
constexpr std::size_t kStatusSlots = HttpMetrics::kStatuses.size() + 1;  // + "other"

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

HttpMetrics::Shard::Shard(std::size_t series)
    : requests(series * kStatusSlots), durations(series) {}

HttpMetrics::HttpMetrics(std::vector<std::string> routes, unsigned io_threads)
    : routes_(std::move(routes)),
      shards_(io_threads, routes_.size() * kMethods),
      other_threads_(std::make_unique<Shard>(routes_.size() * kMethods)) {}

HttpMetrics::~HttpMetrics() = default;

HttpMetrics::Shard& HttpMetrics::current_shard() const {
  Shard* shard = shards_.local();
  return shard != nullptr ? *shard : *other_threads_;
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
  shard.durations[series].observe(seconds);
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
      Histogram<kBuckets>::Counts latency;
      for_each_shard([&](const Shard& shard) {
        for (std::size_t s = 0; s < kStatusSlots; ++s) {
          by_status[s] += shard.requests[series * kStatusSlots + s].load(std::memory_order_relaxed);
        }
        shard.durations[series].add_to(latency);
      });

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
      // Shards are read one after another, so the count is taken from the buckets summed:
      // _count always equals the +Inf bucket.
      metric.histogram = latency.to_prometheus();
      durations.metric.push_back(std::move(metric));
    }
  }
  std::int64_t in_flight = 0;
  for_each_shard([&](const Shard& shard) {
    in_flight += shard.in_flight.load(std::memory_order_relaxed);
  });
  prometheus::ClientMetric in_flight_metric;
  in_flight_metric.gauge.value = static_cast<double>(in_flight);
  prometheus::MetricFamily in_flight_family{"http_requests_in_flight",
                                            "HTTP requests being handled right now",
                                            prometheus::MetricType::Gauge,
                                            {in_flight_metric}};
  return {std::move(requests), std::move(durations), std::move(in_flight_family)};
}

}  // namespace sre::obs
