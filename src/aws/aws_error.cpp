#include "aws/aws_error.h"

#include <array>
#include <boost/json/parse.hpp>

namespace sre::aws {
namespace {

// The codes AWS's own SDKs retry (throttling and transient server errors), across SQS,
// DynamoDB and the common errors of every service.
constexpr std::array<std::string_view, 17> kRetryableCodes{
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TransactionInProgressException",
    "PriorRequestNotComplete",
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "ServiceUnavailable",
    "RequestTimeout",
    "RequestTimeoutException",
    "KMS.ThrottlingException",
};

// The queue or table named does not exist (deleted, or an emulator restarted empty).
constexpr std::array<std::string_view, 3> kMissingResourceCodes{
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
    "ResourceNotFoundException",
};

bool listed(std::string_view code, const auto& codes) {
  for (auto listed_code : codes) {
    if (code == listed_code) {
      return true;
    }
  }
  return false;
}

// "com.amazonaws.sqs#QueueDoesNotExist" -> "QueueDoesNotExist"; some services append
// ":http://internal.amazon.com/..." after the code.
std::string_view short_code(std::string_view type) {
  if (auto hash = type.rfind('#'); hash != std::string_view::npos) {
    type.remove_prefix(hash + 1);
  }
  if (auto colon = type.find(':'); colon != std::string_view::npos) {
    type = type.substr(0, colon);
  }
  return type;
}

std::string string_field(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

bool is_retryable_code(std::string_view code) {
  return listed(code, kRetryableCodes);
}

bool names_missing_resource(const AwsError& error) {
  return listed(error.code, kMissingResourceCodes);
}

AwsError error_from_response(int http_status, std::string_view error_type_header,
                             std::string_view body) {
  AwsError error;
  error.http_status = http_status;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    const auto& object = parsed.as_object();
    error.code = std::string(short_code(string_field(object, "__type")));
    // SQS says "message" or "Message" depending on the operation; DynamoDB says "message".
    error.message = string_field(object, "message");
    if (error.message.empty()) {
      error.message = string_field(object, "Message");
    }
  }
  if (error.code.empty()) {
    error.code = std::string(short_code(error_type_header));
  }
  if (error.code.empty()) {
    error.code = "HttpStatus" + std::to_string(http_status);
  }
  error.retryable = http_status >= 500 || http_status == 429 || is_retryable_code(error.code);
  return error;
}

AwsError transport_error(std::string_view what) {
  return {0, "Transport", std::string(what), true};
}

AwsError tls_error(std::string_view what) {
  return {0, "TlsHandshake", std::string(what), true};
}

bool is_tls_error(const AwsError& error) {
  return error.http_status == 0 && error.code == "TlsHandshake";
}

}  // namespace sre::aws
