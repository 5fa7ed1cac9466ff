// Metrics of the API's calls to the grade service and of its circuit breaker. Every child is
// resolved once here, at startup (prometheus-cpp's Family::Add takes a lock; Increment and
// Set are lock-free atomics).
//
//   circuit_breaker_state{name}, circuit_breaker_transitions_total{name,from,to}
//                                                         (resilience::BreakerMetrics)
//   grade_client_attempts_total{outcome}                  success, timeout, connection_error, ...
//   grade_client_retries_total
//   grade_client_rejections_total{reason}                 circuit_open, bulkhead_full,
//                                                         retry_budget_exhausted, deadline_exceeded
//   grades_responses_total{source}                        fresh, last_known, empty
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>
#include <string>

#include "grades/grade_client.h"
#include "resilience/breaker_metrics.h"

namespace sre::grades {

enum class Rejection : std::uint8_t {
  circuit_open,
  bulkhead_full,
  retry_budget_exhausted,
  deadline_exceeded
};
std::string_view to_string(Rejection reason);

enum class Source : std::uint8_t { fresh, last_known, empty };
std::string_view to_string(Source source);

class GradesMetrics {
 public:
  GradesMetrics(prometheus::Registry& registry, const std::string& breaker_name);

  void attempt(AttemptOutcome outcome) {
    attempts_.at(static_cast<std::size_t>(outcome))->Increment();
  }
  void retry() { retries_->Increment(); }
  void rejected(Rejection reason) { rejections_.at(static_cast<std::size_t>(reason))->Increment(); }
  void answered(Source source) { responses_.at(static_cast<std::size_t>(source))->Increment(); }
  void transition(const resilience::BreakerTransition& transition) {
    breaker_.transition(transition);
  }

 private:
  std::array<prometheus::Counter*, 5> attempts_{};
  prometheus::Counter* retries_ = nullptr;
  std::array<prometheus::Counter*, 4> rejections_{};
  std::array<prometheus::Counter*, 3> responses_{};
  resilience::BreakerMetrics breaker_;
};

}  // namespace sre::grades
