#include "api/health.h"

#include <fmt/format.h>

#include <chrono>

#include "core/clock.h"
#include "core/log.h"
#include "http/responses.h"

namespace sre::api {

using http::Status;

void HealthApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/health/live", http::RouteTag::liveness,
             [this](auto& ctx) { return live(ctx); });
  router.add(http::Verb::get, "/health/ready", http::RouteTag::readiness,
             [this](auto& ctx) { return ready(ctx); });
  router.add(http::Verb::get, "/health", http::RouteTag::health_report,
             [this](auto& ctx) { return report(ctx); });
}

http::asio::awaitable<HealthApi::Check> HealthApi::check_database() {
  auto started = std::chrono::steady_clock::now();
  Check check{true, 0, "", "database unavailable"};
  try {
    co_await store_.ping();
    // The ping went through this thread's connections; another thread may still be
    // reconnecting after an outage, and its requests would fail.
    if (auto thread = store_.thread_without_connection()) {
      check.healthy = false;
      check.error = fmt::format("I/O thread {} has no open database connection yet", *thread);
    }
  } catch (const store::SchemaMissing& e) {
    check.healthy = false;
    check.error = e.what();
    check.reason = "database schema missing: run `sre-playground migrate`";
  } catch (const std::exception& e) {
    check.healthy = false;
    check.error = e.what();
  }
  check.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count();
  co_return check;
}

http::asio::awaitable<http::Response> HealthApi::live(http::RequestContext& ctx) {
  // Polled by every kubelet and load balancer, every few seconds: the body is a constant.
  static constexpr std::string_view kAlive = R"({"status":"alive"})";
  co_return http::json_response(ctx.request, Status::ok, kAlive);
}

http::asio::awaitable<http::Response> HealthApi::ready(http::RequestContext& ctx) {
  Phase phase = lifecycle_.phase();
  if (phase != Phase::ready) {
    co_return http::json_response(ctx.request, Status::service_unavailable,
                                  {{"status", "not ready"}, {"reason", to_string(phase)}});
  }
  Check database = co_await check_database();
  if (!database.healthy) {
    log::warn("not ready", {{"reason", database.reason}, {"error", database.error}});
    co_return http::json_response(ctx.request, Status::service_unavailable,
                                  {{"status", "not ready"}, {"reason", database.reason}});
  }
  co_return http::json_response(ctx.request, Status::ok, {{"status", "ready"}});
}

http::asio::awaitable<http::Response> HealthApi::report(http::RequestContext& ctx) {
  Check database = co_await check_database();
  boost::json::object database_json{{"status", database.healthy ? "healthy" : "unhealthy"},
                                    {"engine", store_.engine()},
                                    {"latency_us", database.latency_us}};
  if (!database.healthy) {
    database_json["error"] = database.error;
  }
  // The database is the only dependency the API cannot work without: unhealthy when it is
  // down. Optional dependencies (cache, queues) make the service "degraded" when they are.
  const bool healthy = database.healthy;
  boost::json::object body{
      {"status", healthy ? "healthy" : "unhealthy"},
      {"timestamp", core::rfc3339_micros(std::chrono::system_clock::now())},
      {"version", version_},
      {"phase", to_string(lifecycle_.phase())},
      {"checks", {{"database", database_json}}},
  };
  co_return http::json_response(ctx.request, healthy ? Status::ok : Status::service_unavailable,
                                body);
}

}  // namespace sre::api
