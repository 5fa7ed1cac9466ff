// Building a handler's answers: JSON bodies and empty replies. Errors the server generates
// itself (404, 422, 429, 503, ...) are built by http/local_reply.h.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "http/types.h"

namespace sre::http {

// A response with `body` serialized as JSON and Content-Type: application/json.
Response json_response(const Request& request, Status status, const boost::json::value& body);
// The same, for a body that is already serialized JSON.
Response json_response(const Request& request, Status status, std::string_view json_text);
// The same, taking the text over instead of copying it (a page of students is a few KiB).
Response json_response(const Request& request, Status status, std::string&& json_text);

Response empty_response(const Request& request, Status status);

}  // namespace sre::http
