// The request and response types every layer of the HTTP stack passes around.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/url_view.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sre::http {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Verb = beast_http::verb;
using Status = beast_http::status;

struct Route;
struct RequestContext;

using Handler = std::function<asio::awaitable<Response>(RequestContext&)>;

// Everything known about one request while it travels through middleware to its handler.
// Owned by the connection that read the request; handlers get it by reference.
struct RequestContext {
  Request request;
  // The parsed request target (path + query). A view into request.target(): valid as long
  // as `request` is neither moved nor modified, which handlers never do.
  boost::urls::url_view url;
  std::string client_address;
  std::chrono::steady_clock::time_point received_at = std::chrono::steady_clock::now();

  // Set by the request-id middleware (core/trace_context.h): the caller's trace (or a new
  // one), this request's own span in it, and what to pass on to the services it calls.
  std::string request_id;
  std::string trace_id;
  std::string span_id;
  std::uint8_t trace_flags = 0;
  std::string tracestate;  // empty when none was sent, or it was not fit to pass on
  // Who is authenticated: the verified token's `sub`, set by the auth middleware (auth/);
  // empty for anonymous requests. Rate limits key on it when present, else on the client's IP
  // address.
  std::string authenticated_subject;

  // Set by the router. `route` is null when no route matched; `handler` is null when no
  // route matched or the route has no handler for the method.
  const Route* route = nullptr;
  const Handler* handler = nullptr;
  std::vector<std::pair<std::string_view, std::string>> path_params;

  // The decoded value of path parameter `name` ("" when absent).
  std::string_view path_param(std::string_view name) const;
  // The decoded value of query parameter `name`, if present; when it is repeated, the last
  // one (as FastAPI reads it).
  std::optional<std::string> query_param(std::string_view name) const;
  // Every decoded value of query parameter `name`, in order (none when absent).
  std::vector<std::string> query_params(std::string_view name) const;
  // Who did it, for audit records: the authenticated subject, or "anonymous".
  std::string_view actor() const;
  // The route template for metrics and logs ("unmatched" when no route matched).
  std::string_view route_template() const;
};

}  // namespace sre::http
