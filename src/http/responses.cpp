#include "http/responses.h"

#include <boost/json/serialize.hpp>

namespace sre::http {

Response json_response(const Request& request, Status status, const boost::json::value& body) {
  Response response{status, request.version()};
  response.set(beast_http::field::content_type, "application/json");
  response.body() = boost::json::serialize(body);
  return response;
}

Response error_response(const Request& request, Status status, std::string_view detail) {
  return json_response(request, status, {{"detail", detail}});
}

Response protocol_error_response(Status status, std::string_view detail) {
  Request placeholder;
  placeholder.version(11);
  Response response = error_response(placeholder, status, detail);
  response.keep_alive(false);
  return response;
}

Response empty_response(const Request& request, Status status) {
  return Response{status, request.version()};
}

}  // namespace sre::http
