// The settings of the API's grades client: where the grade service is (GRADE_SERVICE_URL,
// parsed once), and the resilience around each lookup: attempt timeout, deadline, retries
// with backoff and a budget, the bulkhead and the circuit breaker (CIRCUIT_BREAKER_*).
#pragma once

#include <chrono>
#include <vector>

#include "core/config.h"
#include "grades/grade_client.h"
#include "resilience/backoff.h"
#include "resilience/circuit_breaker.h"

namespace sre::grades {

struct GradesOptions {
  GradeServiceAddress service{"127.0.0.1", "8001", ""};
  std::chrono::milliseconds timeout{500};  // per attempt
  // Whole lookup, retries included: the API's latency objective (p99 < 500 ms), so a timed-out
  // attempt is not followed by a retry that would break it; fast failures can still retry.
  std::chrono::milliseconds deadline{500};
  int max_attempts = 3;
  resilience::BackoffPolicy backoff{std::chrono::milliseconds(25), std::chrono::milliseconds(250)};
  double retry_budget_ratio = 0.1;
  int retry_budget_max_tokens = 10;
  int max_concurrent_calls = 64;  // bulkhead, per process
  resilience::CircuitBreakerOptions breaker;
};

const std::vector<core::Setting<GradesOptions>>& settings();

}  // namespace sre::grades
