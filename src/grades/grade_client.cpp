#include "grades/grade_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include "core/ids.h"
#include "core/trace_context.h"
#include "grades/grades.h"

namespace sre::grades {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxResponseBody = std::size_t{64} * 1024;

AttemptResult failure(AttemptOutcome outcome, std::string error, int status = 0) {
  AttemptResult result;
  result.outcome = outcome;
  result.status = status;
  result.error = std::move(error);
  return result;
}

}  // namespace

AttemptResult classify_answer(const http::ClientResponse& response) {
  if (response.error != http::ClientError::none) {
    return failure(response.error == http::ClientError::timeout ? AttemptOutcome::timeout
                                                                : AttemptOutcome::connection_error,
                   response.error_message);
  }
  const int status = response.status;
  // 504 is the grade service giving up at the deadline we sent it (X-Request-Timeout-Ms):
  // the same event as our own timeout firing, and whichever of the two comes first must not
  // change what callers see.
  if (status == 504) {
    return failure(AttemptOutcome::timeout, "grade service gave up at our deadline (504)", status);
  }
  if (status >= 500 || status == 429) {
    return failure(AttemptOutcome::server_error, "grade service answered " + std::to_string(status),
                   status);
  }
  if (status != 200) {
    return failure(AttemptOutcome::bad_response, "grade service answered " + std::to_string(status),
                   status);
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(response.body, ec);
  const auto* object = ec ? nullptr : body.if_object();
  const auto* grades = object != nullptr ? object->if_contains("grades") : nullptr;
  if (grades == nullptr || !grades_from_json(*grades)) {
    return failure(AttemptOutcome::bad_response, "grade service answer is not a grades document",
                   status);
  }
  AttemptResult result;
  result.outcome = AttemptOutcome::success;
  result.status = status;
  result.grades_json = boost::json::serialize(*grades);
  return result;
}

std::variant<GradeServiceAddress, std::string> parse_grade_service_url(std::string_view text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) {
    return fmt::format("'{}' is not an absolute URL like http://127.0.0.1:8001", text);
  }
  if (url->scheme() != "http") {
    return fmt::format("'{}' must start with http:// (the grade service speaks plain HTTP)", text);
  }
  if (url->host().empty()) {
    return fmt::format("'{}' has no host", text);
  }
  if (url->has_port() && url->port_number() == 0) {
    return fmt::format("'{}' has no valid port (1..65535)", text);
  }
  if (url->has_query() || url->has_fragment() || url->has_userinfo()) {
    return fmt::format("'{}' must not have a query, fragment or user info", text);
  }
  GradeServiceAddress out;
  out.host = url->host_address();
  out.port = url->has_port() ? std::string(url->port()) : "80";
  out.base_path = url->path();
  while (!out.base_path.empty() && out.base_path.back() == '/') {
    out.base_path.pop_back();
  }
  return out;
}

std::string_view to_string(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::success:
      return "success";
    case AttemptOutcome::timeout:
      return "timeout";
    case AttemptOutcome::connection_error:
      return "connection_error";
    case AttemptOutcome::server_error:
      return "server_error";
    case AttemptOutcome::bad_response:
      return "bad_response";
  }
  return "unknown";
}

bool is_retryable(AttemptOutcome outcome) {
  return outcome == AttemptOutcome::timeout || outcome == AttemptOutcome::connection_error ||
         outcome == AttemptOutcome::server_error;
}

GradeClient::GradeClient(GradeServiceAddress address)
    : address_(std::move(address)),
      client_(http::Origin{address_.host, address_.port}, kMaxResponseBody) {}

asio::awaitable<AttemptResult> GradeClient::fetch(const AttemptRequest& request) const {
  http::ClientRequest call;
  call.target = address_.base_path + "/grades/" + request.student_id;
  call.headers = {
      {"X-Request-ID", request.request_id},
      {"traceparent",
       core::format_traceparent(request.trace_id, core::generate_span_id(), request.trace_flags)},
      {"X-Request-Timeout-Ms",
       std::to_string(std::max<long long>(1, request.remaining_budget.count()))}};
  if (!request.tracestate.empty()) {
    call.headers.emplace_back("tracestate", request.tracestate);
  }
  call.timeout = request.timeout;
  http::ClientResponse response = co_await client_.send(call);
  co_return classify_answer(response);
}

}  // namespace sre::grades
