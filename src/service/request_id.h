// Gives every request an id and a place in a trace (W3C trace context: the caller's
// `traceparent`, or a new trace), and answers with X-Request-ID and this request's own
// `traceparent`, so a client, our logs and downstream services all talk about the same request.
#pragma once

#include "http/middleware.h"

namespace sre::service {

class RequestIdMiddleware : public http::StepMiddleware {
 public:
  void before(http::RequestContext& ctx) override;
  void after(http::RequestContext& ctx, http::Response& response) override;
};

// Fills ctx.request_id and the trace fields from the request headers (or generates them).
void assign_request_ids(http::RequestContext& ctx);
// Sets X-Request-ID and traceparent on `response`.
void set_request_id_headers(const http::RequestContext& ctx, http::Response& response);

}  // namespace sre::service
