// The service's metrics: one place that owns every metric family and renders the Prometheus
// text exposition for GET /metrics.
//
// Counters and gauges come from prometheus-cpp (their Increment/Set are lock-free atomics);
// resolve a labelled child once at startup and keep the reference, because Family::Add takes a
// lock. Per-request HTTP series use obs::HttpMetrics, which is lock-free throughout.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <vector>

#include "obs/http_metrics.h"

namespace sre::obs {

class Metrics {
 public:
  explicit Metrics(std::string_view service);

  // Creates the HTTP request metrics once every route is known. `routes`: label of each route
  // id (index 0 "unmatched"). Call before serving requests.
  void track_http_routes(std::vector<std::string> routes, unsigned io_threads);

  prometheus::Registry& registry() { return *registry_; }
  HttpMetrics& http() { return *http_; }
  // Requests answered 503 because a dependency ("database", ...) was unavailable. Only on
  // the failure path: Family::Add takes a lock, which is fine there.
  prometheus::Counter& dependency_unavailable(const std::string& dependency) {
    return dependency_unavailable_->Add({{"dependency", dependency}});
  }

  // Metrics a component collects itself, lock-free (the PostgreSQL pool, Redis latency...),
  // rendered with the rest.
  // Call before serving requests.
  void add_collectable(std::shared_ptr<prometheus::Collectable> collectable) {
    collectables_.push_back(std::move(collectable));
  }

  // Everything, in the Prometheus text format (version 0.0.4).
  std::string render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<HttpMetrics> http_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  prometheus::Counter* log_dropped_ = nullptr;
  prometheus::Family<prometheus::Counter>* dependency_unavailable_ = nullptr;
};

}  // namespace sre::obs
