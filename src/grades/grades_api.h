// GET /api/v1/students/{student_id}/grades: the grades from the grade service, protected so
// that its failures cost the API neither its latency objective nor its availability.
//
//   deadline (GRADE_DEADLINE_MS, or less when the client sends X-Request-Timeout-Ms)
//     -> bulkhead (at most GRADE_MAX_CONCURRENT_CALLS calls at once)
//       -> up to GRADE_MAX_ATTEMPTS attempts, each:
//            circuit breaker permit -> GET with min(GRADE_TIMEOUT_MS, time left) -> outcome
//          retries only for retryable failures, after a full-jitter backoff, within the
//          retry budget and only while the deadline leaves time for them
//     -> fresh grades {"cached":false} (and remembered), or the fallback: the last grades
//        seen for that student {"cached":true}, or {"grades":[],"cached":true}
//
// The student does not have to exist locally (as in the seed). The answer is 200 either way:
// a degraded answer, not an error; `X-Grades-Fallback` says why when it is one.
#pragma once

#include <memory>

#include "grades/grade_client.h"
#include "grades/grades_metrics.h"
#include "grades/grades_options.h"
#include "grades/last_known_grades.h"
#include "http/router.h"
#include "resilience/backoff.h"
#include "resilience/bulkhead.h"
#include "resilience/circuit_breaker.h"
#include "resilience/retry_budget.h"

namespace sre::grades {

inline constexpr std::string_view kBreakerName = "grade-service";

class GradesApi {
 public:
  GradesApi(const GradesOptions& options, prometheus::Registry& registry,
            LastKnownGrades& last_known);

  void register_routes(http::Router& router);
  resilience::CircuitBreaker& breaker() { return breaker_; }

  http::asio::awaitable<http::Response> get_grades(http::RequestContext& ctx);

 private:
  struct Lookup;
  // Fills `lookup` (a local of the caller's frame) from the grade service.
  http::asio::awaitable<void> fetch(const http::RequestContext& ctx, Lookup& lookup);

  GradesOptions options_;
  GradesMetrics metrics_;
  resilience::CircuitBreaker breaker_;
  resilience::RetryBudget retry_budget_;
  resilience::Bulkhead bulkhead_;
  resilience::BackoffPolicy backoff_;
  GradeClient client_;
  LastKnownGrades& last_known_;
};

}  // namespace sre::grades
