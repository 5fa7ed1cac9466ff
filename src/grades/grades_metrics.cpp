#include "grades/grades_metrics.h"

namespace sre::grades {

std::string_view to_string(Rejection reason) {
  switch (reason) {
    case Rejection::circuit_open:
      return "circuit_open";
    case Rejection::bulkhead_full:
      return "bulkhead_full";
    case Rejection::retry_budget_exhausted:
      return "retry_budget_exhausted";
    case Rejection::deadline_exceeded:
      return "deadline_exceeded";
  }
  return "unknown";
}

std::string_view to_string(Source source) {
  switch (source) {
    case Source::fresh:
      return "fresh";
    case Source::last_known:
      return "last_known";
    case Source::empty:
      return "empty";
  }
  return "unknown";
}

GradesMetrics::GradesMetrics(prometheus::Registry& registry, const std::string& breaker_name)
    : breaker_(registry, breaker_name) {
  auto& attempts = prometheus::BuildCounter()
                       .Name("grade_client_attempts_total")
                       .Help("Calls (attempts, retries included) to the grade service by outcome")
                       .Register(registry);
  for (auto outcome :
       {AttemptOutcome::success, AttemptOutcome::timeout, AttemptOutcome::connection_error,
        AttemptOutcome::server_error, AttemptOutcome::bad_response}) {
    attempts_.at(static_cast<std::size_t>(outcome)) =
        &attempts.Add({{"outcome", std::string(to_string(outcome))}});
  }
  retries_ = &prometheus::BuildCounter()
                  .Name("grade_client_retries_total")
                  .Help("Retries of grade-service calls (within the retry budget)")
                  .Register(registry)
                  .Add({});
  auto& rejections = prometheus::BuildCounter()
                         .Name("grade_client_rejections_total")
                         .Help("Grade-service calls or retries not made, by reason")
                         .Register(registry);
  for (auto reason : {Rejection::circuit_open, Rejection::bulkhead_full,
                      Rejection::retry_budget_exhausted, Rejection::deadline_exceeded}) {
    rejections_.at(static_cast<std::size_t>(reason)) =
        &rejections.Add({{"reason", std::string(to_string(reason))}});
  }
  auto& responses = prometheus::BuildCounter()
                        .Name("grades_responses_total")
                        .Help("Answers of GET /api/v1/students/{student_id}/grades by source")
                        .Register(registry);
  for (auto source : {Source::fresh, Source::last_known, Source::empty}) {
    responses_.at(static_cast<std::size_t>(source)) =
        &responses.Add({{"source", std::string(to_string(source))}});
  }
}

}  // namespace sre::grades
