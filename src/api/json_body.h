// Reading a JSON request body: media type check (415), JSON parsing (422 json_invalid) and
// validation (422 with one entry per bad field). Either a value or the response to send.
#pragma once

#include <variant>

#include "domain/validation.h"
#include "http/types.h"

namespace sre::api {

// application/json, with parameters (charset=utf-8), or any application/<x>+json.
bool is_json_media_type(std::string_view content_type);

// The error response for FastAPI-shaped validation errors (422).
http::Response validation_error(const http::Request& request, const domain::FieldErrors& errors);

// A JSON object body (admin endpoints): 415 when not JSON, 422 when malformed or not an object.
std::variant<boost::json::object, http::Response> read_json_object(const http::RequestContext& ctx);

std::variant<domain::StudentFields, http::Response> read_student_body(
    const http::RequestContext& ctx, domain::StudentInput mode);

}  // namespace sre::api
