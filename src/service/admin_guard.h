// Keeps other web sites away from the admin routes (cross-site request forgery). A page on
// another origin can make a visitor's browser send a form POST with the visitor's network
// position and cookies; it cannot, without a CORS preflight that we never grant, send JSON or
// an Authorization header. So on routes tagged admin, a request that may change something
// (any method but GET, HEAD and OPTIONS):
//
//   - with an Origin header naming another origin than the Host it was sent to: 403;
//   - with a body type a form can send, or any other that is not JSON: 415.
//
// Refusals: admin_requests_refused_total{reason="foreign_origin|not_json"} and a log line.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <string_view>

#include "http/middleware.h"

namespace sre::service {

// Whether `origin` ("https://host:port", "null") is the origin of a request sent to `host`
// (the Host header).
bool is_same_origin(std::string_view origin, std::string_view host);

class AdminGuardMiddleware : public http::Middleware {
 public:
  explicit AdminGuardMiddleware(prometheus::Registry& registry);

  // Only unsafe methods on admin routes.
  bool applies_to(const http::RequestContext& ctx) const override;
  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx, http::Next next) override;

 private:
  prometheus::Counter* foreign_origin_;
  prometheus::Counter* not_json_;
};

}  // namespace sre::service
