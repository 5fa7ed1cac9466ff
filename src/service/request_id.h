// Gives every request an id and a trace id, and echoes X-Request-ID on the response, so a
// client, our logs and downstream services all talk about the same request.
#pragma once

#include "http/middleware.h"

namespace sre::service {

class RequestIdMiddleware : public http::Middleware {
 public:
  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx, http::Next next) override;
};

// Fills ctx.request_id and ctx.trace_id from the request headers (or generates them).
void assign_request_ids(http::RequestContext& ctx);

}  // namespace sre::service
