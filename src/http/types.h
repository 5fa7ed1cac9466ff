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

// A url_view parsed on first use. A copy starts empty: the view would point into the target of
// the request it was parsed from, not into the copy's.
class ParsedUrlCache {
 public:
  ParsedUrlCache() = default;
  ParsedUrlCache(const ParsedUrlCache& /*other*/) {}
  ParsedUrlCache& operator=(const ParsedUrlCache& /*other*/) {
    view.reset();
    return *this;
  }
  ~ParsedUrlCache() = default;
  mutable std::optional<boost::urls::url_view> view;
};

// Everything known about one request while it travels through middleware to its handler.
// Owned by the connection that read the request; handlers get it by reference.
struct RequestContext {
  Request request;
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

  // The request target (path + query) as a URL: a view into request.target(), which the
  // connection checked (http/request_checks.h). Parsed the first time it is asked for: routing
  // reads the path from the target itself, and most requests never need more.
  const boost::urls::url_view& url() const;
  // The target's path, still percent-encoded: what comes before '?' in an origin-form target.
  std::string_view encoded_path() const;

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

 private:
  ParsedUrlCache parsed_url_;
};

}  // namespace sre::http
