#include "http/responses.h"

#include "http/json_text.h"

namespace sre::http {

Response json_response(const Request& request, Status status, const boost::json::value& body) {
  return json_response(request, status, to_json_text(body));
}

Response json_response(const Request& request, Status status, std::string_view json_text) {
  return json_response(request, status, std::string(json_text));
}

Response json_response(const Request& request, Status status, std::string&& json_text) {
  Response response{status, request.version()};
  response.set(beast_http::field::content_type, "application/json");
  response.body() = std::move(json_text);
  return response;
}

Response empty_response(const Request& request, Status status) {
  return Response{status, request.version()};
}

}  // namespace sre::http
