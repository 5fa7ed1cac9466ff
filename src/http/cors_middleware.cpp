#include "http/cors_middleware.h"

#include "http/local_reply.h"

namespace sre::http {

namespace {

constexpr std::string_view kAllowedRequestHeaders =
    "Authorization, Content-Type, Idempotency-Key, X-Request-ID, traceparent";
constexpr std::string_view kExposedHeaders =
    "X-Request-ID, Retry-After, RateLimit, RateLimit-Policy, X-RateLimit-Limit, "
    "X-RateLimit-Remaining, X-RateLimit-Reset, X-Cache, Location, Link";
// How long a browser may reuse a preflight's answer.
constexpr std::string_view kPreflightMaxAgeSeconds = "600";

void vary_on_origin(Response& response) {
  const auto vary = response[beast_http::field::vary];
  if (vary.empty()) {
    response.set(beast_http::field::vary, "Origin");
  } else if (vary != "*") {
    response.set(beast_http::field::vary, std::string(vary) + ", Origin");
  }
}

}  // namespace

asio::awaitable<Response> CorsMiddleware::handle(RequestContext& ctx, Next next) {
  const auto origin = ctx.request[beast_http::field::origin];
  if (origin.empty() || !origins_.allows(origin)) {
    Response response = co_await next(ctx);
    vary_on_origin(response);
    co_return response;
  }
  const std::string allowed_origin = origins_.any() ? std::string("*") : std::string(origin);
  const bool preflight = ctx.request.method() == Verb::options && ctx.route != nullptr &&
                         ctx.request.count(beast_http::field::access_control_request_method) > 0;
  if (preflight) {
    Response response = local_reply::options(ctx.request, *ctx.route);
    response.set(beast_http::field::access_control_allow_origin, allowed_origin);
    const std::string methods(response[beast_http::field::allow]);
    response.set(beast_http::field::access_control_allow_methods, methods);
    response.set(beast_http::field::access_control_allow_headers, kAllowedRequestHeaders);
    response.set(beast_http::field::access_control_max_age, kPreflightMaxAgeSeconds);
    vary_on_origin(response);
    co_return response;
  }
  Response response = co_await next(ctx);
  response.set(beast_http::field::access_control_allow_origin, allowed_origin);
  response.set(beast_http::field::access_control_expose_headers, kExposedHeaders);
  vary_on_origin(response);
  co_return response;
}

}  // namespace sre::http
