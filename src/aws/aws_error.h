// What went wrong with an AWS call, and whether trying again can help.
//
// A caller that retries a validation error only repeats it; a caller that gives up on a
// throttle loses work that a later try would have delivered. So every failure is classified
// once, here: throttling, server-side (5xx) and transport failures (refused, reset, timed out)
// are retryable; everything the request itself got wrong (validation, missing resource,
// credentials, signature) is not.
#pragma once

#include <string>
#include <string_view>

namespace sre::aws {

struct AwsError {
  int http_status = 0;  // 0: no answer (transport failure)
  std::string code;     // "ThrottlingException", "QueueDoesNotExist", "Transport"
  std::string message;
  bool retryable = false;
};

// Classifies a JSON-protocol error answer. The code comes from the body's "__type" (or the
// X-Amzn-ErrorType header when the body has none), without its namespace:
// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException".
AwsError error_from_response(int http_status, std::string_view error_type_header,
                             std::string_view body);

// No answer at all: connection refused or reset, timeout. Always retryable.
AwsError transport_error(std::string_view what);
// No answer because the TLS handshake failed (code "TlsHandshake"): the endpoint's certificate
// is not trusted or does not name it. Retryable as a transport failure is: nothing was sent,
// and a relay that keeps its rows delivers them once the certificate (or AWS_CA_BUNDLE) is
// fixed.
AwsError tls_error(std::string_view what);
bool is_tls_error(const AwsError& error);

// Whether an error code names a condition that passes with time (throttling, a busy or
// failing server), whatever the HTTP status said.
bool is_retryable_code(std::string_view code);

// Whether the queue or table the call named does not exist (deleted, or an emulator that
// restarted empty): a cached queue URL is then stale, and provisioning again may help.
bool names_missing_resource(const AwsError& error);

}  // namespace sre::aws
