#include "aws/aws_call.h"

#include "aws/json_protocol.h"
#include "core/log.h"

namespace sre::aws {

namespace {

// DynamoDB's Query and BatchWriteItem answers carry items: allow some room.
constexpr std::size_t kMaxAnswerBody = std::size_t{4} * 1024 * 1024;

// Outside the coroutine: g++ 12 miscompiles a braced list of fields in a coroutine body.
void log_failure(const AwsMetrics::Operation& operation, const AwsError& error, double seconds) {
  log::warn("aws call failed", {{"service", operation.service()},
                                {"operation", operation.name()},
                                {"status", error.http_status},
                                {"code", error.code},
                                {"error", error.message},
                                {"retryable", error.retryable},
                                {"duration_ms", static_cast<std::int64_t>(seconds * 1000)}});
}

}  // namespace

ServiceConnection::ServiceConnection(ServiceAddress address, std::string service,
                                     std::string target_prefix, AwsMetrics& metrics)
    : address_(std::move(address)),
      service_(std::move(service)),
      target_prefix_(std::move(target_prefix)),
      scope_{address_.region, service_},
      metrics_(metrics),
      client_(http::Origin{address_.endpoint.host, address_.endpoint.port}, kMaxAnswerBody,
              address_.endpoint.tls ? address_.tls : nullptr) {}

boost::asio::awaitable<Result<std::string>> ServiceConnection::call(
    AwsMetrics::Operation& operation, const std::string& body,
    std::chrono::milliseconds extra_wait) const {
  const std::string target = target_prefix_ + "." + operation.name();
  http::ClientRequest request;
  request.method = boost::beast::http::verb::post;
  request.target = "/";
  request.headers =
      json_request_headers(address_.endpoint.host_header(), target, body, address_.credentials,
                           scope_, std::chrono::system_clock::now());
  request.body = body;
  request.timeout = address_.timeout + extra_wait;

  const auto started = std::chrono::steady_clock::now();
  http::ClientResponse response = co_await client_.send(request);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  AwsError error;
  if (response.error == http::ClientError::tls) {
    error = tls_error(response.error_message);
  } else if (response.error != http::ClientError::none) {
    error = transport_error(response.error_message);
  } else if (response.status >= 200 && response.status < 300) {
    operation.record(CallOutcome::success, seconds);
    co_return Result<std::string>{std::move(response.body), {}};
  } else {
    auto type = response.headers.find("X-Amzn-ErrorType");
    error = error_from_response(
        response.status,
        type == response.headers.end() ? std::string_view{} : std::string_view(type->value()),
        response.body);
  }
  operation.record(outcome_of(error), seconds);
  log_failure(operation, error, seconds);
  co_return Result<std::string>::failure(std::move(error));
}

}  // namespace sre::aws
