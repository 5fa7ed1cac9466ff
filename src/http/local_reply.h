// Every reply the server generates itself, rather than a handler's answer about a resource:
// routing misses (404, 405), OPTIONS (204), protocol errors (400, 408, 413, 414, 431), validation
// failures (422), refusals (401, 403, 429, 503) and the exception boundary's 500. One builder per
// kind, so the bodies and headers of a kind cannot drift apart between the places that send it.
//
// Bodies follow FastAPI's shapes, so clients written for the original service keep working:
//   {"detail":"Not Found"}                                   every plain error
//   {"detail":[{"loc":["body","grade"],"msg":..,"type":..}]} a validation failure (422)
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/errors.h"
#include "http/types.h"

namespace sre::http::local_reply {

// {"detail": detail} with `status`.
Response error(const Request& request, Status status, std::string_view detail);

// An error answer to a request we could not (fully) parse: HTTP/1.1, the connection closes
// after it.
Response protocol_error(Status status, std::string_view detail);

// 404 for a path no route matches.
Response not_found(const Request& request);
// 405 with the Allow header listing what `route` serves.
Response method_not_allowed(const Request& request, const Route& route);

// 204 with Allow: what `route` serves, the answer to OPTIONS on it.
Response options(const Request& request, const Route& route);
// 204 with Allow: the methods this HTTP stack routes, the answer to `OPTIONS *`.
Response server_options(const Request& request);

// 422 with one entry per invalid field.
Response validation_failed(const Request& request, const core::FieldErrors& errors);

// `status` (503, 504) with Retry-After: the client should come back later.
Response retry_later(const Request& request, Status status, std::string_view detail,
                     std::chrono::seconds retry_after);

// 429 {"error":"Rate limit exceeded","retry_after":N} with Retry-After: N.
Response rate_limited(const Request& request, std::int64_t retry_after_seconds);

// 401 with `WWW-Authenticate: Bearer error="invalid_token"`: the token is missing, expired or
// forged (RFC 6750); `detail` says which in words, never the token.
Response unauthorized(const Request& request, std::string_view detail);
// 403: the caller is known but may not do this (a role too low, a cross-site request).
Response forbidden(const Request& request, std::string_view detail);

// 500 for a bug: no details of the failure, only the request id to find it in the logs.
Response internal_error(const Request& request, std::string_view request_id);

}  // namespace sre::http::local_reply
