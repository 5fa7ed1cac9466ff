// CORS for the origins in CORS_ORIGINS (see cors_options.h); the program puts it in its chain
// only when that list is not empty, first, so that a preflight is answered before anything
// that could refuse it for lack of credentials or budget (a browser sends none with it).
//
// - A preflight (OPTIONS with Access-Control-Request-Method) on a route, from an allowed
//   origin: 204 with Allow, Access-Control-Allow-Origin/-Methods/-Headers and -Max-Age,
//   answered here.
// - Any other request from an allowed origin: the response gets Access-Control-Allow-Origin
//   and Access-Control-Expose-Headers (the request id, the rate-limit headers, Retry-After,
//   X-Cache, Location), so that the page can read them.
// - Everything else passes untouched but for `Vary: Origin` (the answer depends on it): a
//   browser refuses the page's call, other clients never cared.
// No credentials mode: a token travels in the Authorization header, which CORS allows here.
#pragma once

#include "http/cors_options.h"
#include "http/middleware.h"

namespace sre::http {

class CorsMiddleware : public Middleware {
 public:
  explicit CorsMiddleware(CorsOrigins origins) : origins_(std::move(origins)) {}

  asio::awaitable<Response> handle(RequestContext& ctx, Next next) override;

 private:
  CorsOrigins origins_;
};

}  // namespace sre::http
