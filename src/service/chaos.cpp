#include "service/chaos.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>

#include "core/log.h"
#include "http/local_reply.h"
#include "service/fault_rules.h"

namespace sre::service {

namespace asio = boost::asio;

namespace {
std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
// A rule is armed on the slot: two loads and a compare, on every request.
bool is_armed(const ChaosState::Slot& slot) {
  const std::int64_t expires = slot.expires_ns.load(std::memory_order_acquire);
  return expires != 0 && expires > steady_now_ns();
}
constexpr std::size_t kMaxRules = 64;
constexpr std::int64_t kMaxRuleLatencyMs = 60'000;

// Fills `rule` from one element of "rules", or says what is wrong with it (a field name, or
// "" for the rule as a whole).
std::optional<FaultFieldError> parse_rule(const boost::json::value& value,
                                          const http::Router& router, ChaosRule& rule) {
  const auto* object = value.if_object();
  if (object == nullptr) {
    return FaultFieldError{"", "each rule must be an object"};
  }
  static const FaultSchema kSchema{
      {"route", "latency_ms", "error_rate", "error_status", "duration_seconds"}, kMaxRuleLatencyMs};
  FaultFields fields;
  if (auto error = parse_fault_fields(*object, kSchema, fields)) {
    return error;
  }
  if (!fields.route) {
    return FaultFieldError{"route", "route is required"};
  }
  rule.route = *fields.route;
  rule.latency_ms = fields.latency_ms.value_or(rule.latency_ms);
  rule.error_rate = fields.error_rate.value_or(rule.error_rate);
  rule.error_status = fields.error_status.value_or(rule.error_status);
  rule.duration = fields.duration.value_or(rule.duration);
  const auto& routes = router.routes();
  const auto route = std::find_if(routes.begin(), routes.end(), [&](const http::Route& r) {
    return r.path_template == rule.route;
  });
  if (route == routes.end()) {
    return FaultFieldError{"route", "not a route template of this API (see /openapi.json)"};
  }
  if (!ChaosState::targetable(route->tag)) {
    return FaultFieldError{"route", "liveness, metrics and admin routes cannot be targeted"};
  }
  return std::nullopt;
}

}  // namespace

std::variant<std::vector<ChaosRule>, core::FieldError> parse_chaos_rules(
    const boost::json::object& body, const http::Router& router) {
  const auto* rules_json = body.if_contains("rules");
  auto whole_body_error = [](std::string msg) {
    return core::FieldError{{"body", "rules"}, std::move(msg), "value_error"};
  };
  if (rules_json == nullptr || !rules_json->is_array() || body.size() != 1) {
    return whole_body_error("body must be {\"rules\": [...]} (an empty list ends every rule)");
  }
  const auto& items = rules_json->get_array();
  if (items.size() > kMaxRules) {
    return whole_body_error("at most 64 rules");
  }
  std::vector<ChaosRule> rules(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (auto error = parse_rule(items[i], router, rules[i])) {
      boost::json::array loc{"body", "rules"};
      if (!error->field.empty()) {
        loc.emplace_back(i);
        loc.emplace_back(error->field);
      }
      return core::FieldError{std::move(loc), std::move(error->msg), "value_error"};
    }
  }
  return rules;
}

void ChaosState::size_for_routes() {
  slot_count_ = router_.routes().size() + 1;
  slots_ = std::make_unique<Slot[]>(slot_count_);
}

bool ChaosState::targetable(http::RouteTag tag) {
  return tag != http::RouteTag::liveness && tag != http::RouteTag::metrics &&
         tag != http::RouteTag::admin;
}

void ChaosState::replace(const std::vector<ChaosRule>& rules) {
  std::lock_guard lock(writers_);  // writers only; the request path never takes it
  for (std::size_t i = 0; i < slot_count_; ++i) {
    slots_[i].expires_ns.store(0, std::memory_order_release);
  }
  const std::int64_t now = steady_now_ns();
  for (const auto& rule : rules) {
    for (const auto& route : router_.routes()) {
      if (route.path_template != rule.route) {
        continue;
      }
      Slot& slot = slots_[route.id];
      slot.latency_ms.store(rule.latency_ms, std::memory_order_relaxed);
      slot.error_rate_ppm.store(rate_to_ppm(rule.error_rate), std::memory_order_relaxed);
      slot.error_status.store(rule.error_status, std::memory_order_relaxed);
      slot.expires_ns.store(
          now + std::chrono::duration_cast<std::chrono::nanoseconds>(rule.duration).count(),
          std::memory_order_release);
    }
  }
}

boost::json::array ChaosState::describe() const {
  boost::json::array out;
  const std::int64_t now = steady_now_ns();
  for (const auto& route : router_.routes()) {
    const Slot& slot = slots_[route.id];
    const std::int64_t expires = slot.expires_ns.load(std::memory_order_acquire);
    if (expires <= now) {
      continue;
    }
    out.push_back(boost::json::object{
        {"route", route.path_template},
        {"latency_ms", slot.latency_ms.load(std::memory_order_relaxed)},
        {"error_rate", ppm_to_rate(slot.error_rate_ppm.load(std::memory_order_relaxed))},
        {"error_status", slot.error_status.load(std::memory_order_relaxed)},
        {"seconds_left", (expires - now + 999'999'999) / 1'000'000'000}});
  }
  return out;
}

ChaosMiddleware::ChaosMiddleware(const ChaosState& state, prometheus::Registry& registry)
    : state_(state) {
  auto& family = prometheus::BuildCounter()
                     .Name("chaos_injected_total")
                     .Help("Faults injected by API-side chaos rules (PUT /api/v1/admin/chaos)")
                     .Register(registry);
  injected_latency_ = &family.Add({{"kind", "latency"}});
  injected_errors_ = &family.Add({{"kind", "error"}});
}

const ChaosState::Slot& ChaosMiddleware::slot_of(const http::RequestContext& ctx) const {
  return state_.slot(ctx.route != nullptr ? ctx.route->id : 0);
}

bool ChaosMiddleware::applies_to(const http::RequestContext& ctx) const {
  return is_armed(slot_of(ctx));
}

http::asio::awaitable<http::Response> ChaosMiddleware::handle(http::RequestContext& ctx,
                                                              http::Next next) {
  const auto& slot = slot_of(ctx);
  if (!is_armed(slot)) {
    co_return co_await next(ctx);  // the rule expired since the chain asked
  }
  if (const auto latency = slot.latency_ms.load(std::memory_order_relaxed); latency > 0) {
    injected_latency_->Increment();
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             std::chrono::milliseconds(latency));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (fault_strikes(slot.error_rate_ppm.load(std::memory_order_relaxed))) {
    injected_errors_->Increment();
    const int status = slot.error_status.load(std::memory_order_relaxed);
    log::info("chaos: injected error", {{"route", ctx.route_template()}, {"status", status}});
    auto response = http::local_reply::error(ctx.request, static_cast<http::Status>(status),
                                             "Injected failure (chaos experiment)");
    response.set("X-Chaos-Injected", "error");
    co_return response;
  }
  co_return co_await next(ctx);
}

}  // namespace sre::service
