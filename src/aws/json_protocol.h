// The AWS JSON protocol (SQS and DynamoDB both speak it): every call is a signed
// `POST /` whose X-Amz-Target header names the operation ("AmazonSQS.SendMessageBatch",
// "DynamoDB_20120810.PutItem") and whose body is the operation's input as JSON.
//
// This file prepares the request's headers and reads answers; sending is the HTTP client's job.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/sigv4.h"

namespace sre::aws {

inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";

// The headers of one JSON-protocol call, in the order to send them, Authorization last.
// `host` is the Host header exactly as it will be sent ("sqs.eu-west-1.amazonaws.com" or
// "127.0.0.1:4566"): it is signed, so a proxy that rewrites it breaks the signature.
std::vector<std::pair<std::string, std::string>> json_request_headers(
    std::string_view host, std::string_view target, std::string_view body,
    const Credentials& credentials, const SigningScope& scope,
    std::chrono::system_clock::time_point now);

// The answer of a successful call as a JSON object; throws std::invalid_argument naming
// `service` when it is not one (a protocol mismatch is a bug to see, not a value to guess).
boost::json::object parse_answer(std::string_view answer, std::string_view service);

}  // namespace sre::aws
