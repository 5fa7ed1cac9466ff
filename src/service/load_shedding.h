// Load shedding in the middleware chain, right after metrics and access logs (so shed
// requests are counted and logged like any other): requests over the in-flight bound, or that
// waited too long before reaching it, get 503 + Retry-After at once (see
// resilience/load_shedder.h for the two bounds).
//
// Never shed (by route tag, see never_shed()): liveness and readiness probes (an overloaded
// instance that fails its probes gets restarted or pulled from the load balancer, turning
// overload into an outage), metrics (we need to see the overload), and admin routes (the
// operator's controls must work during the incident). Shed requests:
// http_requests_shed_total{reason}.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <chrono>
#include <cstdint>

#include "core/per_thread.h"
#include "http/middleware.h"
#include "http/router.h"
#include "resilience/load_shedder.h"

namespace sre::service {

// Whether the shedder lets every request of a route of kind `tag` through.
bool never_shed(http::RouteTag tag);

class LoadSheddingMiddleware : public http::Middleware {
 public:
  LoadSheddingMiddleware(const resilience::LoadShedderOptions& options,
                         prometheus::Registry& registry);

  // Not on the routes that are never shed.
  bool applies_to(const http::RequestContext& ctx) const override;
  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx, http::Next next) override;

 private:
  void note_shed(const http::RequestContext& ctx, resilience::ShedDecision decision);

  // Paces the "shedding load" line: one per I/O thread and second.
  struct ShedLogWindow {
    std::chrono::steady_clock::time_point next_line{};
    std::int64_t shed_since_last_line = 0;
  };

  resilience::LoadShedder shedder_;
  core::PerThread<ShedLogWindow> log_windows_;
  prometheus::Counter* shed_in_flight_ = nullptr;
  prometheus::Counter* shed_queue_delay_ = nullptr;
};

}  // namespace sre::service
