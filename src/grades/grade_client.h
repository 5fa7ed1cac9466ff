// The API's client of the grade service: one GET /grades/{id} per attempt over the general
// keep-alive http::Client, and what its answer means (grades, or which kind of failure).
// This client makes ONE attempt; retries, deadlines and the breaker are the caller's
// (grades_api.cpp), so each concern stays in one place.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "http/client.h"

namespace sre::grades {

struct GradeServiceAddress {
  std::string host;
  std::string port;
  std::string base_path;  // "" or "/prefix" (no trailing slash)
};

// GRADE_SERVICE_URL (http://host[:port][/prefix]) split into its parts, or a one-line reason
// it is not such a URL.
std::variant<GradeServiceAddress, std::string> parse_grade_service_url(std::string_view url);

enum class AttemptOutcome : std::uint8_t {
  success,
  timeout,           // no answer within the attempt's timeout, or a 504 at our deadline (retryable)
  connection_error,  // refused, reset, closed early (retryable)
  server_error,      // 5xx or 429 (retryable)
  bad_response,      // another status, or a body that is not grades (not retryable)
};
std::string_view to_string(AttemptOutcome outcome);
bool is_retryable(AttemptOutcome outcome);

struct AttemptResult {
  AttemptOutcome outcome = AttemptOutcome::connection_error;
  int status = 0;
  std::string grades_json;  // on success: the serialized "grades" array
  std::string error;        // otherwise: what went wrong, for the log
};

// What one answer (or its absence) from the grade service means.
AttemptResult classify_answer(const http::ClientResponse& response);

struct AttemptRequest {
  std::string student_id;
  std::string request_id;
  // The caller's trace (http::RequestContext): each attempt is a new span under it.
  std::string trace_id;
  std::uint8_t trace_flags = 0;
  std::string tracestate;
  std::chrono::milliseconds timeout{500};
  // Sent downstream as X-Request-Timeout-Ms: what is left of the caller's deadline.
  std::chrono::milliseconds remaining_budget{500};
};

class GradeClient {
 public:
  explicit GradeClient(GradeServiceAddress address);

  // `request` must stay alive until the attempt completes (the caller's local).
  boost::asio::awaitable<AttemptResult> fetch(const AttemptRequest& request) const;

  const GradeServiceAddress& address() const { return address_; }

 private:
  GradeServiceAddress address_;
  http::Client client_;
};

}  // namespace sre::grades
