#include "grades/grades_api.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "core/log.h"
#include "grades/grades.h"
#include "http/local_reply.h"
#include "http/responses.h"
#include "resilience/deadline.h"

namespace sre::grades {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using resilience::Deadline;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// Not worth starting an attempt with less time than this left: it could only time out.
constexpr auto kMinimumAttemptTime = 5ms;

}  // namespace

struct GradesApi::Lookup {
  std::string grades_json;  // set when fresh
  bool fresh = false;
  std::string fallback_reason;  // why not fresh: circuit_open, timeout, ...
};

GradesApi::GradesApi(const GradesOptions& options, prometheus::Registry& registry,
                     LastKnownGrades& last_known)
    : options_(options),
      metrics_(registry, std::string(kBreakerName)),
      breaker_(std::string(kBreakerName), options.breaker),
      retry_budget_(options.retry_budget_ratio, options.retry_budget_max_tokens),
      bulkhead_(options.max_concurrent_calls),
      backoff_(options.backoff),
      client_(options.service),
      last_known_(last_known) {
  breaker_.set_listener([this](const resilience::BreakerTransition& t) {
    metrics_.transition(t);
    const auto level = t.to == resilience::BreakerState::open ? log::Level::warn : log::Level::info;
    log::write(level, "circuit breaker state changed",
               {{"breaker", kBreakerName},
                {"from", resilience::to_string(t.from)},
                {"to", resilience::to_string(t.to)},
                {"reason", resilience::to_string(t.reason)}});
  });
}

void GradesApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/api/v1/students/{student_id}/grades", http::RouteTag::public_api,
             [this](auto& ctx) { return get_grades(ctx); });
}

http::asio::awaitable<void> GradesApi::fetch(const http::RequestContext& ctx, Lookup& lookup) {
  // The client's budget, if it gave one, but never more than our own deadline.
  auto budget = options_.deadline;
  auto header = ctx.request.find(resilience::kRequestTimeoutHeader);
  if (header != ctx.request.end()) {
    budget = std::min(budget, *resilience::parse_request_timeout(header->value()));
  }
  // Measured from when the request arrived: time already spent here counts against it.
  const Deadline deadline(ctx.received_at + budget);

  resilience::Bulkhead::Slot slot = bulkhead_.try_enter();
  if (!slot) {
    metrics_.rejected(Rejection::bulkhead_full);
    lookup.fallback_reason = "bulkhead_full";
    co_return;
  }
  retry_budget_.record_call();

  AttemptRequest request;
  request.student_id = std::string(ctx.path_param("student_id"));
  request.request_id = ctx.request_id;
  request.trace_id = ctx.trace_id;
  request.trace_flags = ctx.trace_flags;
  request.tracestate = ctx.tracestate;
  AttemptResult last;
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      if (!is_retryable(last.outcome)) {
        break;
      }
      const auto pause =
          resilience::full_jitter_backoff(backoff_, attempt - 1, resilience::thread_random01());
      if (deadline.remaining() < pause + kMinimumAttemptTime) {
        metrics_.rejected(Rejection::deadline_exceeded);
        break;
      }
      if (!retry_budget_.try_spend_retry()) {
        metrics_.rejected(Rejection::retry_budget_exhausted);
        break;
      }
      metrics_.retry();
      asio::steady_timer timer(co_await asio::this_coro::executor, pause);
      co_await timer.async_wait(nothrow);
    }
    const auto remaining = deadline.remaining();
    if (remaining < kMinimumAttemptTime) {
      metrics_.rejected(Rejection::deadline_exceeded);
      lookup.fallback_reason = "deadline_exceeded";
      co_return;
    }
    const auto permit = breaker_.try_acquire();
    if (!permit.allowed) {
      metrics_.rejected(Rejection::circuit_open);
      lookup.fallback_reason = "circuit_open";
      co_return;
    }
    request.timeout = std::min(options_.timeout, remaining);
    request.remaining_budget = remaining;
    const auto started = std::chrono::steady_clock::now();
    last = co_await client_.fetch(request);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    metrics_.attempt(last.outcome);
    if (last.outcome == AttemptOutcome::success) {
      breaker_.on_success(permit, elapsed);
      lookup.fresh = true;
      lookup.grades_json = std::move(last.grades_json);
      co_return;
    }
    breaker_.on_failure(permit);
    log::warn(
        "grade service call failed",
        {{"attempt", attempt + 1},
         {"outcome", to_string(last.outcome)},
         {"status", last.status},
         {"error", last.error},
         {"elapsed_us", std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()}});
  }
  lookup.fallback_reason = std::string(to_string(last.outcome));
}

http::asio::awaitable<http::Response> GradesApi::get_grades(http::RequestContext& ctx) {
  const std::string student_id(ctx.path_param("student_id"));
  if (!core::is_path_safe_student_id(student_id)) {
    co_return http::local_reply::validation_failed(
        ctx.request, {{{"path", "student_id"},
                       "student_id must be 1..64 characters of A-Z, a-z, 0-9, '-' or '_'",
                       "value_error"}});
  }
  auto header = ctx.request.find(resilience::kRequestTimeoutHeader);
  if (header != ctx.request.end() && !resilience::parse_request_timeout(header->value())) {
    co_return http::local_reply::error(
        ctx.request, http::Status::bad_request,
        "X-Request-Timeout-Ms must be an integer number of milliseconds in 1..3600000");
  }

  Lookup lookup;
  co_await fetch(ctx, lookup);

  const std::string id_json = boost::json::serialize(boost::json::string(student_id));
  std::string body;
  if (lookup.fresh) {
    const auto executor = co_await asio::this_coro::executor;
    last_known_.remember(executor, student_id, lookup.grades_json);
    metrics_.answered(Source::fresh);
    body = R"({"student_id":)" + id_json + R"(,"grades":)" + lookup.grades_json +
           R"(,"cached":false})";
    co_return http::json_response(ctx.request, http::Status::ok, body);
  }
  auto remembered = co_await last_known_.recall(student_id);
  metrics_.answered(remembered ? Source::last_known : Source::empty);
  log::warn("grades fallback", {{"student_id", student_id},
                                {"reason", lookup.fallback_reason},
                                {"source", remembered ? "last_known" : "empty"}});
  body = R"({"student_id":)" + id_json + R"(,"grades":)" + (remembered ? *remembered : "[]") +
         R"(,"cached":true})";
  auto response = http::json_response(ctx.request, http::Status::ok, body);
  response.set("X-Grades-Fallback", lookup.fallback_reason);
  co_return response;
}

}  // namespace sre::grades
