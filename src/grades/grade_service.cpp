#include "grades/grade_service.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "api/json_body.h"
#include "core/log.h"
#include "grades/grades.h"
#include "http/responses.h"
#include "resilience/backoff.h"
#include "resilience/deadline.h"

namespace sre::grades {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using http::Status;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kPpm = 1'000'000;
constexpr std::int64_t kMaxLatencyMs = 600'000;
// During an outage a request is held, checking every so often whether the outage is over,
// for at most this long.
constexpr auto kOutagePoll = 100ms;
constexpr auto kMaxOutageHold = std::chrono::minutes(10);

http::Response invalid_field(const http::Request& request, std::string_view field,
                             std::string_view msg) {
  return http::json_response(
      request, Status::unprocessable_entity,
      {{"detail", {{{"loc", {"body", field}}, {"msg", msg}, {"type", "value_error"}}}}});
}

std::optional<std::int64_t> as_integer(const boost::json::value& value) {
  if (value.is_int64()) {
    return value.get_int64();
  }
  if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(kMaxLatencyMs)) {
    return static_cast<std::int64_t>(value.get_uint64());
  }
  return std::nullopt;
}

}  // namespace

GradeServiceApi::GradeServiceApi(const core::Config& config, prometheus::Registry& registry) {
  faults_.error_rate_ppm = static_cast<std::uint32_t>(std::lround(config.grade_error_rate * kPpm));
  faults_.latency_ms = static_cast<std::uint32_t>(config.grade_latency_ms);
  faults_.latency_jitter_ms = static_cast<std::uint32_t>(config.grade_latency_jitter_ms);
  auto& family = prometheus::BuildCounter()
                     .Name("grade_service_requests_total")
                     .Help("GET /grades/{student_id} requests by outcome")
                     .Register(registry);
  int i = 0;
  for (const char* outcome : {"ok", "error", "outage", "deadline_exceeded", "invalid"}) {
    requests_.at(i++) = &family.Add({{"outcome", outcome}});
  }
}

void GradeServiceApi::count(Outcome outcome) {
  requests_.at(static_cast<std::size_t>(outcome))->Increment();
}

void GradeServiceApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/grades/{student_id}", [this](auto& ctx) { return grades(ctx); });
  router.add(http::Verb::get, "/admin/faults", [this](auto& ctx) { return get_faults(ctx); });
  router.add(http::Verb::put, "/admin/faults", [this](auto& ctx) { return put_faults(ctx); });
}

boost::json::object GradeServiceApi::faults_json() const {
  return {{"error_rate", static_cast<double>(faults_.error_rate_ppm.load()) / kPpm},
          {"latency_ms", faults_.latency_ms.load()},
          {"latency_jitter_ms", faults_.latency_jitter_ms.load()},
          {"outage", faults_.outage.load()}};
}

http::asio::awaitable<http::Response> GradeServiceApi::grades(http::RequestContext& ctx) {
  const std::string student_id(ctx.path_param("student_id"));
  if (!is_path_safe_student_id(student_id)) {
    count(Outcome::invalid);
    co_return invalid_field(ctx.request, "student_id",
                            "student_id must be 1..64 characters of A-Z, a-z, 0-9, '-' or '_'");
  }
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);

  if (faults_.outage.load(std::memory_order_relaxed)) {
    count(Outcome::outage);
    log::info("outage: holding request", {{"request_id", ctx.request_id}});
    const auto give_up = std::chrono::steady_clock::now() + kMaxOutageHold;
    while (faults_.outage.load(std::memory_order_relaxed) &&
           std::chrono::steady_clock::now() < give_up) {
      timer.expires_after(kOutagePoll);
      co_await timer.async_wait(nothrow);
    }
  }

  auto delay = std::chrono::milliseconds(faults_.latency_ms.load(std::memory_order_relaxed));
  if (auto jitter = faults_.latency_jitter_ms.load(std::memory_order_relaxed); jitter > 0) {
    delay += std::chrono::milliseconds(
        static_cast<std::int64_t>(resilience::thread_random01() * (jitter + 1)));
  }
  if (delay.count() > 0) {
    // The caller's remaining budget, if it sent one: no point answering after it.
    auto header = ctx.request.find(resilience::kRequestTimeoutHeader);
    std::optional<std::chrono::milliseconds> budget;
    if (header != ctx.request.end()) {
      budget = resilience::parse_request_timeout(header->value());
    }
    timer.expires_after(budget ? std::min(delay, *budget) : delay);
    co_await timer.async_wait(nothrow);
    if (budget && *budget < delay) {
      count(Outcome::deadline_exceeded);
      log::info("caller's deadline passed; not answering with grades",
                {{"request_id", ctx.request_id}, {"budget_ms", budget->count()}});
      co_return http::error_response(ctx.request, Status::gateway_timeout,
                                     "Deadline exceeded (X-Request-Timeout-Ms)");
    }
  }

  const auto rate = faults_.error_rate_ppm.load(std::memory_order_relaxed);
  if (rate > 0 && resilience::thread_random01() * kPpm < rate) {
    count(Outcome::error);
    co_return http::error_response(ctx.request, Status::internal_server_error,
                                   "Injected failure (error_rate)");
  }
  count(Outcome::ok);
  co_return http::json_response(
      ctx.request, Status::ok,
      {{"student_id", student_id}, {"grades", to_json(grades_for(student_id))}});
}

http::asio::awaitable<http::Response> GradeServiceApi::get_faults(http::RequestContext& ctx) {
  co_return http::json_response(ctx.request, Status::ok, faults_json());
}

// Sets the fields present in the body; the others keep their values. Validates everything
// before changing anything, so a bad request changes nothing.
http::asio::awaitable<http::Response> GradeServiceApi::put_faults(http::RequestContext& ctx) {
  auto body = api::read_json_object(ctx);
  if (auto* rejection = std::get_if<http::Response>(&body)) {
    co_return std::move(*rejection);
  }
  const auto& object = std::get<boost::json::object>(body);
  std::optional<std::uint32_t> error_rate;
  std::optional<std::uint32_t> latency;
  std::optional<std::uint32_t> jitter;
  std::optional<bool> outage;
  for (const auto& [key, value] : object) {
    if (key == "error_rate") {
      const bool number = value.is_number();
      const double rate = number ? value.to_number<double>() : -1;
      if (!number || !std::isfinite(rate) || rate < 0 || rate > 1) {
        co_return invalid_field(ctx.request, key, "error_rate must be a number in 0..1");
      }
      error_rate = static_cast<std::uint32_t>(std::lround(rate * kPpm));
    } else if (key == "latency_ms" || key == "latency_jitter_ms") {
      auto ms = as_integer(value);
      if (!ms || *ms < 0 || *ms > kMaxLatencyMs) {
        co_return invalid_field(ctx.request, key, "must be an integer in 0..600000");
      }
      (key == "latency_ms" ? latency : jitter) = static_cast<std::uint32_t>(*ms);
    } else if (key == "outage") {
      if (!value.is_bool()) {
        co_return invalid_field(ctx.request, key, "outage must be true or false");
      }
      outage = value.get_bool();
    } else {
      co_return invalid_field(ctx.request, key,
                              "unknown field; expected error_rate, latency_ms, "
                              "latency_jitter_ms, outage");
    }
  }
  if (error_rate) {
    faults_.error_rate_ppm = *error_rate;
  }
  if (latency) {
    faults_.latency_ms = *latency;
  }
  if (jitter) {
    faults_.latency_jitter_ms = *jitter;
  }
  if (outage) {
    faults_.outage = *outage;
  }
  auto current = faults_json();
  log::warn("faults changed", {{"request_id", ctx.request_id}, {"faults", current}});
  co_return http::json_response(ctx.request, Status::ok, current);
}

}  // namespace sre::grades
