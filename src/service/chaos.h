// API-side fault injection for chaos experiments, in the spirit of the OpenTelemetry demo's
// failure flags: for a while, add latency and/or errors to chosen routes of THIS process.
//
//   PUT /api/v1/admin/chaos {"rules":[{"route":"/api/v1/students/{student_id}",
//                                      "latency_ms":300,"error_rate":0.5,"error_status":503,
//                                      "duration_seconds":120}]}
//
// State: one slot of atomics per route id (the router numbers routes densely), so the request
// path reads its own route's slot with a few atomic loads and no lock, and there is nothing to
// reclaim. Writers (the admin endpoint, rare) serialize on a mutex among themselves. A rule
// is switched off (expiry 0) while its fields are rewritten and switched on last; a request
// racing with a rewrite may see a mix of old and new values for that one request: harmless
// for fault injection, and the price of lock-free reads without a pointer swap.
// (std::atomic<std::shared_ptr> would be the obvious tool, but libstdc++ 12 implements it with
// a lock.)
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <variant>
#include <vector>

#include "core/errors.h"
#include "http/middleware.h"
#include "http/router.h"

namespace sre::service {

struct ChaosRule {
  std::string route;
  std::uint32_t latency_ms = 0;
  double error_rate = 0;
  int error_status = 503;
  std::chrono::seconds duration{60};
};

// Parses the body of PUT /api/v1/admin/chaos, {"rules":[...]} (at most 64 rules, each naming a
// targetable route of `router`; fields as in service/fault_rules.h), or returns what is wrong.
std::variant<std::vector<ChaosRule>, core::FieldError> parse_chaos_rules(
    const boost::json::object& body, const http::Router& router);

class ChaosState {
 public:
  explicit ChaosState(const http::Router& router) : router_(router) {}
  // Makes one slot per route; call once every route is registered, before serving.
  void size_for_routes();

  // Replaces every rule (an empty list ends all experiments). `rules` must be validated.
  void replace(const std::vector<ChaosRule>& rules);
  // Active rules with their remaining seconds, for GET.
  boost::json::array describe() const;
  // Whether routes of kind `tag` may be targeted: not liveness (a failing probe restarts the
  // process instead of showing the experiment), metrics (we need to watch the experiment) or
  // admin routes (chaos must never lock the operator out of turning it off). Readiness may be
  // targeted: it rehearses an instance leaving the load balancer.
  static bool targetable(http::RouteTag tag);
  const http::Router& router() const { return router_; }

  struct Slot {
    std::atomic<std::int64_t> expires_ns{0};  // steady clock; 0 = no rule
    std::atomic<std::uint32_t> latency_ms{0};
    std::atomic<std::uint32_t> error_rate_ppm{0};
    std::atomic<int> error_status{503};
  };
  // The slot of a route id (0 = unmatched).
  const Slot& slot(std::size_t route_id) const { return slots_[route_id]; }

 private:
  const http::Router& router_;
  std::unique_ptr<Slot[]> slots_;
  std::size_t slot_count_ = 0;
  std::mutex writers_;
};

// Applies the active rule of the request's route: first the latency, then maybe the error.
class ChaosMiddleware : public http::Middleware {
 public:
  ChaosMiddleware(const ChaosState& state, prometheus::Registry& registry);
  // Only while a rule is armed on the request's route: two loads and a compare.
  bool applies_to(const http::RequestContext& ctx) const override;
  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx, http::Next next) override;

 private:
  const ChaosState::Slot& slot_of(const http::RequestContext& ctx) const;

  const ChaosState& state_;
  prometheus::Counter* injected_latency_ = nullptr;
  prometheus::Counter* injected_errors_ = nullptr;
};

}  // namespace sre::service
