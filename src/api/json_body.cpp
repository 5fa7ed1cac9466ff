#include "api/json_body.h"

#include <algorithm>
#include <cctype>

#include "http/responses.h"

namespace sre::api {

bool is_json_media_type(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) {
    type.pop_back();
  }
  std::string_view view(type);
  return view == "application/json" ||
         (view.starts_with("application/") && view.ends_with("+json"));
}

http::Response validation_error(const http::Request& request, const domain::FieldErrors& errors) {
  return http::json_response(request, http::Status::unprocessable_entity, domain::to_json(errors));
}

namespace {

// 415 unless the body is declared JSON; 422 unless it parses.
std::variant<boost::json::value, http::Response> read_json_value(const http::Request& request) {
  if (!is_json_media_type(request[http::beast_http::field::content_type])) {
    return http::error_response(request, http::Status::unsupported_media_type,
                                "Unsupported Media Type: expected application/json");
  }
  auto parsed = domain::parse_json_body(request.body());
  if (auto* errors = std::get_if<domain::FieldErrors>(&parsed)) {
    return validation_error(request, *errors);
  }
  return std::get<boost::json::value>(std::move(parsed));
}

}  // namespace

std::variant<boost::json::object, http::Response> read_json_object(
    const http::RequestContext& ctx) {
  const auto& request = ctx.request;
  auto parsed = read_json_value(request);
  if (auto* rejection = std::get_if<http::Response>(&parsed)) {
    return std::move(*rejection);
  }
  auto& value = std::get<boost::json::value>(parsed);
  if (!value.is_object()) {
    return validation_error(request,
                            {{{"body"}, "Input should be a valid dictionary", "dict_type"}});
  }
  return std::move(value.get_object());
}

std::variant<domain::StudentFields, http::Response> read_student_body(
    const http::RequestContext& ctx, domain::StudentInput mode) {
  const auto& request = ctx.request;
  auto parsed = read_json_value(request);
  if (auto* rejection = std::get_if<http::Response>(&parsed)) {
    return std::move(*rejection);
  }
  auto validated = domain::validate_student(std::get<boost::json::value>(parsed), mode);
  if (auto* errors = std::get_if<domain::FieldErrors>(&validated)) {
    return validation_error(request, *errors);
  }
  return std::get<domain::StudentFields>(std::move(validated));
}

}  // namespace sre::api
