#include "grade_service/grade_service.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "core/ids.h"
#include "core/log.h"
#include "grade_service/grade_book.h"
#include "http/local_reply.h"
#include "http/responses.h"
#include "service/caller_budget.h"
#include "service/fault_rules.h"
#include "service/json_body.h"

namespace sre::grade_service {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using http::Status;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::int64_t kMaxLatencyMs = 600'000;
// During an outage a request is held, checking every so often whether the outage is over,
// for at most this long.
constexpr auto kOutagePoll = 100ms;
constexpr auto kMaxOutageHold = std::chrono::minutes(10);

http::Response invalid_field(const http::Request& request, std::string_view where,
                             std::string_view field, std::string_view msg) {
  return http::local_reply::validation_failed(request,
                                              {{{where, field}, std::string(msg), "value_error"}});
}

}  // namespace

GradeServiceApi::GradeServiceApi(const FaultOptions& faults, prometheus::Registry& registry) {
  faults_.error_rate_ppm = service::rate_to_ppm(faults.error_rate);
  faults_.latency_ms = static_cast<std::uint32_t>(faults.latency.count());
  faults_.latency_jitter_ms = static_cast<std::uint32_t>(faults.latency_jitter.count());
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
  router.add(http::Verb::get, "/grades/{student_id}", http::RouteTag::public_api,
             [this](auto& ctx) { return grades(ctx); });
  router.add(http::Verb::get, "/admin/faults", http::RouteTag::admin,
             [this](auto& ctx) { return get_faults(ctx); });
  router.add(http::Verb::put, "/admin/faults", http::RouteTag::admin,
             [this](auto& ctx) { return put_faults(ctx); });
}

boost::json::object GradeServiceApi::faults_json() const {
  return {{"error_rate", service::ppm_to_rate(faults_.error_rate_ppm.load())},
          {"latency_ms", faults_.latency_ms.load()},
          {"latency_jitter_ms", faults_.latency_jitter_ms.load()},
          {"outage", faults_.outage.load()}};
}

http::asio::awaitable<http::Response> GradeServiceApi::grades(http::RequestContext& ctx) {
  const std::string student_id(ctx.path_param("student_id"));
  if (!core::is_path_safe_student_id(student_id)) {
    count(Outcome::invalid);
    co_return invalid_field(ctx.request, "path", "student_id",
                            "student_id must be 1..64 characters of A-Z, a-z, 0-9, '-' or '_'");
  }
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);

  if (faults_.outage.load(std::memory_order_relaxed)) {
    count(Outcome::outage);
    log::info("outage: holding request");
    const auto give_up = std::chrono::steady_clock::now() + kMaxOutageHold;
    while (faults_.outage.load(std::memory_order_relaxed) &&
           std::chrono::steady_clock::now() < give_up) {
      timer.expires_after(kOutagePoll);
      co_await timer.async_wait(nothrow);
    }
  }

  const auto delay =
      std::chrono::milliseconds(faults_.latency_ms.load(std::memory_order_relaxed)) +
      service::random_jitter(faults_.latency_jitter_ms.load(std::memory_order_relaxed));
  if (delay.count() > 0) {
    // The caller's remaining budget, if it sent one: no point answering after it.
    const auto budget = service::caller_budget(ctx.request);
    timer.expires_after(budget ? std::min(delay, *budget) : delay);
    co_await timer.async_wait(nothrow);
    if (budget && *budget < delay) {
      count(Outcome::deadline_exceeded);
      log::info("caller's deadline passed; not answering with grades",
                {{"budget_ms", budget->count()}});
      co_return http::local_reply::error(ctx.request, Status::gateway_timeout,
                                         "Deadline exceeded (X-Request-Timeout-Ms)");
    }
  }

  if (service::fault_strikes(faults_.error_rate_ppm.load(std::memory_order_relaxed))) {
    count(Outcome::error);
    co_return http::local_reply::error(ctx.request, Status::internal_server_error,
                                       "Injected failure (error_rate)");
  }
  count(Outcome::ok);
  co_return http::json_response(ctx.request, Status::ok,
                                {{"student_id", student_id}, {"grades", grades_for(student_id)}});
}

http::asio::awaitable<http::Response> GradeServiceApi::get_faults(http::RequestContext& ctx) {
  co_return http::json_response(ctx.request, Status::ok, faults_json());
}

// Sets the fields present in the body; the others keep their values. Validates everything
// before changing anything, so a bad request changes nothing.
http::asio::awaitable<http::Response> GradeServiceApi::put_faults(http::RequestContext& ctx) {
  auto body = service::read_json_object(ctx);
  if (auto* rejection = std::get_if<http::Response>(&body)) {
    co_return std::move(*rejection);
  }
  static const service::FaultSchema kSchema{
      {"error_rate", "latency_ms", "latency_jitter_ms", "outage"}, kMaxLatencyMs};
  service::FaultFields fields;
  if (auto error =
          service::parse_fault_fields(std::get<boost::json::object>(body), kSchema, fields)) {
    co_return invalid_field(ctx.request, "body", error->field, error->msg);
  }
  if (fields.error_rate) {
    faults_.error_rate_ppm = service::rate_to_ppm(*fields.error_rate);
  }
  if (fields.latency_ms) {
    faults_.latency_ms = *fields.latency_ms;
  }
  if (fields.latency_jitter_ms) {
    faults_.latency_jitter_ms = *fields.latency_jitter_ms;
  }
  if (fields.outage) {
    faults_.outage = *fields.outage;
  }
  auto current = faults_json();
  log::warn("faults changed", {{"faults", current}});
  co_return http::json_response(ctx.request, Status::ok, current);
}

}  // namespace sre::grade_service
