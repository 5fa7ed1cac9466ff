#include "grades/grades_options.h"

#include <fmt/format.h>

namespace sre::grades {

namespace {

using core::setting;
using std::chrono::milliseconds;

std::string url_of(const GradeServiceAddress& address) {
  return fmt::format("http://{}:{}{}", address.host, address.port, address.base_path);
}

std::vector<core::Setting<resilience::BackoffPolicy>> backoff_settings() {
  return {
      setting("GRADE_BACKOFF_BASE_MS", &resilience::BackoffPolicy::base,
              core::duration_in<milliseconds>(0, 60'000),
              "Backoff before the first retry is random in 0..this; doubles per retry"),
      setting("GRADE_BACKOFF_MAX_MS", &resilience::BackoffPolicy::cap,
              core::duration_in<milliseconds>(0, 600'000), "Cap of the retry backoff"),
  };
}

std::vector<core::Setting<resilience::CircuitBreakerOptions>> breaker_settings() {
  using Options = resilience::CircuitBreakerOptions;
  return {
      setting("CIRCUIT_BREAKER_FAILURE_THRESHOLD", &Options::consecutive_failure_threshold,
              core::integer_in<int>(1, 1000), "Consecutive failures that open the breaker"),
      setting("CIRCUIT_BREAKER_FAILURE_RATE", &Options::failure_rate_threshold,
              core::number_in(0.01, 1), "Failure rate over the window that opens the breaker"),
      setting("CIRCUIT_BREAKER_WINDOW", &Options::window_size, core::integer_in<int>(1, 32),
              "Calls in the breaker's sliding window (at most 32)"),
      setting("CIRCUIT_BREAKER_MINIMUM_CALLS", &Options::minimum_calls,
              core::integer_in<int>(1, 32),
              "Calls the window needs before its failure rate counts"),
      setting("CIRCUIT_BREAKER_OPEN_SECONDS", &Options::open_duration,
              core::duration_in<milliseconds, std::chrono::seconds>(1, 86'400),
              "How long the breaker stays open before probing"),
      setting("CIRCUIT_BREAKER_SLOW_CALL_MS", &Options::slow_call_threshold,
              core::duration_in<milliseconds>(1, 600'000),
              "A successful call slower than this counts as a failure"),
      setting("CIRCUIT_BREAKER_HALF_OPEN_PROBES", &Options::half_open_probes,
              core::integer_in<int>(1, 100), "Probe calls let through at once while half-open"),
  };
}

std::vector<core::Setting<GradesOptions>> client_settings() {
  return {
      setting("GRADE_SERVICE_URL", &GradesOptions::service,
              core::parsed_by<GradeServiceAddress>(parse_grade_service_url, url_of,
                                                   "http://host[:port][/prefix]"),
              "Base URL of the grade service (http://)"),
      setting("GRADE_TIMEOUT_MS", &GradesOptions::timeout,
              core::duration_in<milliseconds>(1, 600'000),
              "Timeout of one call to the grade service"),
      setting("GRADE_DEADLINE_MS", &GradesOptions::deadline,
              core::duration_in<milliseconds>(1, 600'000),
              "Overall deadline of a grades lookup, retries included (a client's "
              "X-Request-Timeout-Ms may shorten it)"),
      setting("GRADE_MAX_ATTEMPTS", &GradesOptions::max_attempts, core::integer_in<int>(1, 10),
              "Attempts per lookup (1 = no retries)"),
  };
}

std::vector<core::Setting<GradesOptions>> budget_and_bulkhead_settings() {
  return {
      setting("GRADE_RETRY_BUDGET_RATIO", &GradesOptions::retry_budget_ratio, core::number_in(0, 1),
              "Retries may be at most this fraction of calls"),
      setting("GRADE_RETRY_BUDGET_MAX_TOKENS", &GradesOptions::retry_budget_max_tokens,
              core::integer_in<int>(1, 1'000'000), "Most retries the budget can save up"),
      setting("GRADE_MAX_CONCURRENT_CALLS", &GradesOptions::max_concurrent_calls,
              core::integer_in<int>(1, 100'000),
              "Bulkhead: calls to the grade service at the same time, per process"),
  };
}

}  // namespace

const std::vector<core::Setting<GradesOptions>>& settings() {
  static const std::vector<core::Setting<GradesOptions>> rows = core::concat<GradesOptions>({
      client_settings(),
      core::nest(&GradesOptions::backoff, backoff_settings()),
      budget_and_bulkhead_settings(),
      core::nest(&GradesOptions::breaker, breaker_settings()),
  });
  return rows;
}

}  // namespace sre::grades
