// AWS Signature Version 4: the request signing every AWS API (SQS, DynamoDB) requires.
//
// Signing turns a request into a canonical text (method, path, sorted query, sorted and
// trimmed headers, the payload's SHA-256), hashes that into a "string to sign" bound to a date,
// region and service, and signs it with a key derived from the secret by four chained
// HMAC-SHA256 steps. The server recomputes the same and compares. The steps are exposed
// separately so the unit tests can check each against AWS's published test suite.
//
// Pure functions: no clock, no I/O. The caller supplies the X-Amz-Date it sends.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sre::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only; sent as X-Amz-Security-Token
};

// Where a signature is valid: "us-east-1" and "sqs" / "dynamodb".
struct SigningScope {
  std::string region;
  std::string service;
};

// The parts of an HTTP request that SigV4 covers. `headers` must hold every header to sign,
// including Host and X-Amz-Date (and X-Amz-Security-Token for temporary credentials).
struct SignableRequest {
  std::string method;  // "POST"
  std::string path;    // "/", as sent
  std::string query;   // without '?', as sent; may be empty
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view payload;
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "content-type;host;x-amz-date"
  std::string signature;       // 64 lowercase hex digits
  std::string authorization;   // the Authorization header's value
};

// `amz_date` is the request's X-Amz-Date, "20150830T123600Z".
Signature sign_v4(const SignableRequest& request, const Credentials& credentials,
                  const SigningScope& scope, std::string_view amz_date);

// The X-Amz-Date form of a time: basic ISO 8601 in UTC, "20150830T123600Z".
std::string amz_date(std::chrono::system_clock::time_point time);

// Lowercase hex SHA-256 of `data` (the payload hash SigV4 puts in the canonical request).
std::string sha256_hex(std::string_view data);

// RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is encoded
// as %XY with uppercase hex; '/' is kept when `keep_slash` (paths) and encoded otherwise.
std::string uri_encode(std::string_view text, bool keep_slash);

}  // namespace sre::aws
