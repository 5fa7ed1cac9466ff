// Reading a JSON request body: the media type check (415) and parsing (422 json_invalid).
// Either the value or the reply to send instead.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>
#include <variant>

#include "core/errors.h"
#include "http/types.h"

namespace sre::service {

// Deeper JSON is refused before it reaches any code that recurses over it.
constexpr std::size_t kMaxJsonDepth = 32;

// application/json, with parameters (charset=utf-8), or any application/<x>+json.
bool is_json_media_type(std::string_view content_type);

// Parses a request body as JSON (UTF-8, at most kMaxJsonDepth deep).
std::variant<boost::json::value, core::FieldErrors> parse_json(std::string_view body);

// Any JSON body: 415 when not declared JSON, 422 when malformed.
std::variant<boost::json::value, http::Response> read_json_value(const http::Request& request);

// A JSON object body (admin endpoints): 415 when not JSON, 422 when malformed or not an object.
std::variant<boost::json::object, http::Response> read_json_object(const http::RequestContext& ctx);

}  // namespace sre::service
