#include "api/admin.h"

#include <cmath>

#include "api/json_body.h"
#include "core/log.h"
#include "http/responses.h"

namespace sre::api {

using http::Status;

namespace {

constexpr std::size_t kMaxRules = 64;
constexpr std::int64_t kMaxLatencyMs = 60'000;
constexpr std::int64_t kMaxDurationSeconds = 86'400;

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

struct RuleError {
  std::size_t index;
  std::string field;
  std::string msg;
};

std::optional<std::int64_t> integer_of(const boost::json::value& value) {
  if (value.is_int64()) {
    return value.get_int64();
  }
  return std::nullopt;
}

// Validates one rule; fills `rule` or returns what is wrong.
std::optional<RuleError> parse_rule(const boost::json::value& value, std::size_t index,
                                    const ChaosState& chaos, ChaosRule& rule) {
  const auto* object = value.if_object();
  if (object == nullptr) {
    return RuleError{index, "", "each rule must be an object"};
  }
  bool has_route = false;
  for (const auto& [key, field] : *object) {
    if (key == "route") {
      if (!field.is_string()) {
        return RuleError{index, key, "route must be a route template string"};
      }
      rule.route = std::string(field.get_string());
      has_route = true;
    } else if (key == "latency_ms") {
      auto ms = integer_of(field);
      if (!ms || *ms < 0 || *ms > kMaxLatencyMs) {
        return RuleError{index, key, "latency_ms must be an integer in 0..60000"};
      }
      rule.latency_ms = static_cast<std::uint32_t>(*ms);
    } else if (key == "error_rate") {
      const double rate = field.is_number() ? field.to_number<double>() : -1;
      if (!field.is_number() || !std::isfinite(rate) || rate < 0 || rate > 1) {
        return RuleError{index, key, "error_rate must be a number in 0..1"};
      }
      rule.error_rate = rate;
    } else if (key == "error_status") {
      auto status = integer_of(field);
      if (!status || *status < 500 || *status > 599) {
        return RuleError{index, key, "error_status must be an integer in 500..599"};
      }
      rule.error_status = static_cast<int>(*status);
    } else if (key == "duration_seconds") {
      auto seconds = integer_of(field);
      if (!seconds || *seconds < 1 || *seconds > kMaxDurationSeconds) {
        return RuleError{index, key, "duration_seconds must be an integer in 1..86400"};
      }
      rule.duration = std::chrono::seconds(*seconds);
    } else {
      return RuleError{index, key,
                       "unknown field; expected route, latency_ms, error_rate, error_status, "
                       "duration_seconds"};
    }
  }
  if (!has_route) {
    return RuleError{index, "route", "route is required"};
  }
  bool known = false;
  for (const auto& route : chaos.router().routes()) {
    known = known || route.path_template == rule.route;
  }
  if (!known) {
    return RuleError{index, "route", "not a route template of this API (see /openapi.json)"};
  }
  if (!ChaosState::targetable(rule.route)) {
    return RuleError{index, "route", "liveness, metrics and admin routes cannot be targeted"};
  }
  return std::nullopt;
}

}  // namespace

void AdminApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/api/v1/admin/circuit-breakers",
             [this](auto& ctx) { return list_breakers(ctx); });
  router.add(http::Verb::post, "/api/v1/admin/circuit-breakers/{name}/reset",
             [this](auto& ctx) { return reset_breaker(ctx); });
  router.add(http::Verb::get, "/api/v1/admin/chaos", [this](auto& ctx) { return get_chaos(ctx); });
  router.add(http::Verb::put, "/api/v1/admin/chaos", [this](auto& ctx) { return put_chaos(ctx); });
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
      log::warn("circuit breaker reset by operator",
                {{"request_id", ctx.request_id}, {"breaker", breaker->name()}});
      co_return http::json_response(ctx.request, Status::ok, describe(*breaker));
    }
  }
  co_return http::error_response(ctx.request, Status::not_found, "Circuit breaker not found");
}

http::asio::awaitable<http::Response> AdminApi::get_chaos(http::RequestContext& ctx) {
  co_return http::json_response(ctx.request, Status::ok, {{"rules", chaos_.describe()}});
}

http::asio::awaitable<http::Response> AdminApi::put_chaos(http::RequestContext& ctx) {
  auto body = read_json_object(ctx);
  if (auto* rejection = std::get_if<http::Response>(&body)) {
    co_return std::move(*rejection);
  }
  const auto& object = std::get<boost::json::object>(body);
  const auto* rules_json = object.if_contains("rules");
  std::optional<RuleError> error;
  std::vector<ChaosRule> rules;
  if (rules_json == nullptr || !rules_json->is_array() || object.size() != 1) {
    error = RuleError{0, "", "body must be {\"rules\": [...]} (an empty list ends every rule)"};
  } else if (rules_json->get_array().size() > kMaxRules) {
    error = RuleError{0, "", "at most 64 rules"};
  } else {
    for (std::size_t i = 0; i < rules_json->get_array().size() && !error; ++i) {
      ChaosRule rule;
      error = parse_rule(rules_json->get_array()[i], i, chaos_, rule);
      rules.push_back(std::move(rule));
    }
  }
  if (error) {
    boost::json::array loc{"body", "rules"};
    if (!error->field.empty()) {
      loc.emplace_back(error->index);
      loc.emplace_back(error->field);
    }
    co_return http::json_response(
        ctx.request, Status::unprocessable_entity,
        {{"detail", {{{"loc", loc}, {"msg", error->msg}, {"type", "value_error"}}}}});
  }
  chaos_.replace(rules);
  auto active = chaos_.describe();
  log::warn("chaos rules replaced", {{"request_id", ctx.request_id}, {"rules", active}});
  co_return http::json_response(ctx.request, Status::ok, {{"rules", active}});
}

}  // namespace sre::api
