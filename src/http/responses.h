// Building responses: JSON bodies and the error shapes every endpoint shares.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "http/types.h"

namespace sre::http {

// A response with `body` serialized as JSON and Content-Type: application/json.
Response json_response(const Request& request, Status status, const boost::json::value& body);
// The same, for a body that is already serialized JSON.
Response json_response(const Request& request, Status status, std::string_view json_text);

// {"detail": "..."}: the error body FastAPI uses, so clients see one error shape everywhere.
Response error_response(const Request& request, Status status, std::string_view detail);

// A response to a request we could not (fully) parse (HTTP/1.1; the connection closes after).
Response protocol_error_response(Status status, std::string_view detail);

Response empty_response(const Request& request, Status status);

}  // namespace sre::http
