#include "http/local_reply.h"

#include <boost/json/value.hpp>
#include <string>

#include "http/json_text.h"
#include "http/router.h"

namespace sre::http::local_reply {

namespace {

Response reply(unsigned version, Status status, const boost::json::value& body) {
  Response response{status, version};
  response.set(beast_http::field::content_type, "application/json");
  response.body() = to_json_text(body);
  return response;
}

constexpr unsigned kHttp11 = 11;

}  // namespace

Response error(const Request& request, Status status, std::string_view detail) {
  return reply(request.version(), status, {{"detail", detail}});
}

Response protocol_error(Status status, std::string_view detail) {
  return reply(kHttp11, status, {{"detail", detail}});
}

Response not_found(const Request& request) {
  return error(request, Status::not_found, "Not Found");
}

Response method_not_allowed(const Request& request, const Route& route) {
  auto response = error(request, Status::method_not_allowed, "Method Not Allowed");
  response.set(beast_http::field::allow, allow_header(route));
  return response;
}

Response options(const Request& request, const Route& route) {
  Response response{Status::no_content, request.version()};
  response.set(beast_http::field::allow, allow_header(route));
  return response;
}

Response server_options(const Request& request) {
  Response response{Status::no_content, request.version()};
  response.set(beast_http::field::allow, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  return response;
}

Response validation_failed(const Request& request, const core::FieldErrors& errors) {
  boost::json::array detail;
  detail.reserve(errors.size());
  for (const auto& e : errors) {
    detail.push_back({{"loc", e.loc}, {"msg", e.msg}, {"type", e.type}});
  }
  return reply(request.version(), Status::unprocessable_entity, {{"detail", std::move(detail)}});
}

Response retry_later(const Request& request, Status status, std::string_view detail,
                     std::chrono::seconds retry_after) {
  auto response = error(request, status, detail);
  response.set(beast_http::field::retry_after, std::to_string(retry_after.count()));
  return response;
}

Response unauthorized(const Request& request, std::string_view detail) {
  auto response = error(request, Status::unauthorized, detail);
  response.set(beast_http::field::www_authenticate, R"(Bearer error="invalid_token")");
  return response;
}

Response forbidden(const Request& request, std::string_view detail) {
  return error(request, Status::forbidden, detail);
}

Response rate_limited(const Request& request, std::int64_t retry_after_seconds) {
  auto response = reply(request.version(), Status::too_many_requests,
                        {{"error", "Rate limit exceeded"}, {"retry_after", retry_after_seconds}});
  response.set(beast_http::field::retry_after, std::to_string(retry_after_seconds));
  return response;
}

Response internal_error(const Request& request, std::string_view request_id) {
  return reply(request.version(), Status::internal_server_error,
               {{"detail", "Internal Server Error"}, {"request_id", request_id}});
}

}  // namespace sre::http::local_reply
