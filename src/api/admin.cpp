#include "api/admin.h"

#include "core/log.h"
#include "http/local_reply.h"
#include "http/responses.h"
#include "service/json_body.h"

namespace sre::api {

using http::Status;

namespace {

boost::json::object describe(const resilience::CircuitBreaker& breaker) {
  const auto snapshot = breaker.snapshot();
  const auto& options = breaker.options();
  return {{"name", breaker.name()},
          {"state", resilience::to_string(snapshot.state)},
          {"consecutive_failures", snapshot.consecutive_failures},
          {"window_calls", snapshot.window_calls},
          {"window_failures", snapshot.window_failures},
          {"time_to_half_open_ms", snapshot.time_to_half_open.count()},
          {"settings",
           {{"failure_threshold", options.consecutive_failure_threshold},
            {"failure_rate", options.failure_rate_threshold},
            {"window", options.window_size},
            {"minimum_calls", options.minimum_calls},
            {"open_seconds", options.open_duration.count() / 1000},
            {"slow_call_ms", options.slow_call_threshold.count()},
            {"half_open_probes", options.half_open_probes}}}};
}

}  // namespace

void AdminApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/api/v1/admin/circuit-breakers", http::RouteTag::admin,
             [this](auto& ctx) { return list_breakers(ctx); });
  router.add(http::Verb::post, "/api/v1/admin/circuit-breakers/{name}/reset", http::RouteTag::admin,
             [this](auto& ctx) { return reset_breaker(ctx); });
  router.add(http::Verb::get, "/api/v1/admin/chaos", http::RouteTag::admin,
             [this](auto& ctx) { return get_chaos(ctx); });
  router.add(http::Verb::put, "/api/v1/admin/chaos", http::RouteTag::admin,
             [this](auto& ctx) { return put_chaos(ctx); });
}

http::asio::awaitable<http::Response> AdminApi::list_breakers(http::RequestContext& ctx) {
  boost::json::array items;
  for (const auto* breaker : breakers_) {
    items.push_back(describe(*breaker));
  }
  co_return http::json_response(ctx.request, Status::ok, {{"circuit_breakers", items}});
}

http::asio::awaitable<http::Response> AdminApi::reset_breaker(http::RequestContext& ctx) {
  const std::string_view name = ctx.path_param("name");
  for (auto* breaker : breakers_) {
    if (breaker->name() == name) {
      breaker->reset();
      log::warn("circuit breaker reset by operator", {{"breaker", breaker->name()}});
      co_return http::json_response(ctx.request, Status::ok, describe(*breaker));
    }
  }
  co_return http::local_reply::error(ctx.request, Status::not_found, "Circuit breaker not found");
}

http::asio::awaitable<http::Response> AdminApi::get_chaos(http::RequestContext& ctx) {
  co_return http::json_response(ctx.request, Status::ok, {{"rules", chaos_.describe()}});
}

http::asio::awaitable<http::Response> AdminApi::put_chaos(http::RequestContext& ctx) {
  auto body = service::read_json_object(ctx);
  if (auto* rejection = std::get_if<http::Response>(&body)) {
    co_return std::move(*rejection);
  }
  auto rules = service::parse_chaos_rules(std::get<boost::json::object>(body), chaos_.router());
  if (auto* error = std::get_if<core::FieldError>(&rules)) {
    co_return http::local_reply::validation_failed(ctx.request, {std::move(*error)});
  }
  chaos_.replace(std::get<std::vector<service::ChaosRule>>(rules));
  auto active = chaos_.describe();
  log::warn("chaos rules replaced", {{"rules", active}});
  co_return http::json_response(ctx.request, Status::ok, {{"rules", active}});
}

}  // namespace sre::api
