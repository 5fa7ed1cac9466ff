#include "service/json_body.h"

#include <algorithm>
#include <boost/json/stream_parser.hpp>
#include <cctype>

#include "http/local_reply.h"

namespace sre::service {

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

std::variant<boost::json::value, core::FieldErrors> parse_json(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  parser.write(body.data(), body.size(), ec);
  if (!ec) {
    parser.finish(ec);
  }
  if (ec) {
    return core::FieldErrors{
        {boost::json::array{"body"}, "JSON decode error: " + ec.message(), "json_invalid"}};
  }
  return parser.release();
}

std::variant<boost::json::value, http::Response> read_json_value(const http::Request& request) {
  if (!is_json_media_type(request[http::beast_http::field::content_type])) {
    return http::local_reply::error(request, http::Status::unsupported_media_type,
                                    "Unsupported Media Type: expected application/json");
  }
  auto parsed = parse_json(request.body());
  if (auto* errors = std::get_if<core::FieldErrors>(&parsed)) {
    return http::local_reply::validation_failed(request, *errors);
  }
  return std::get<boost::json::value>(std::move(parsed));
}

std::variant<boost::json::object, http::Response> read_json_object(
    const http::RequestContext& ctx) {
  auto parsed = read_json_value(ctx.request);
  if (auto* rejection = std::get_if<http::Response>(&parsed)) {
    return std::move(*rejection);
  }
  auto& value = std::get<boost::json::value>(parsed);
  if (!value.is_object()) {
    return http::local_reply::validation_failed(
        ctx.request, {{{"body"}, "Input should be a valid dictionary", "dict_type"}});
  }
  return std::move(value.get_object());
}

}  // namespace sre::service
