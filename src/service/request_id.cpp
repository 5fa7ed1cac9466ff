#include "service/request_id.h"

#include "core/ids.h"
#include "core/trace_context.h"

namespace sre::service {

void assign_request_ids(http::RequestContext& ctx) {
  const auto& headers = ctx.request;
  std::string_view supplied = headers["X-Request-ID"];
  const bool generated = !core::is_acceptable_request_id(supplied);
  ctx.request_id = generated ? core::generate_request_id() : std::string(supplied);
  ctx.span_id = core::generate_span_id();
  if (auto parent = core::parse_traceparent(headers["traceparent"])) {
    ctx.trace_id = std::move(parent->trace_id);
    ctx.trace_flags = parent->flags;
    std::string_view tracestate = headers["tracestate"];
    if (core::is_acceptable_tracestate(tracestate)) {
      ctx.tracestate = std::string(tracestate);
    }
    return;
  }
  // A request that starts a new trace can use its own fresh id as the trace id: both are 128
  // random bits in the same hex form. Saves generating a second one per request.
  ctx.trace_id = generated ? ctx.request_id : core::generate_trace_id();
}

void set_request_id_headers(const http::RequestContext& ctx, http::Response& response) {
  response.set("X-Request-ID", ctx.request_id);
  core::TraceparentText traceparent;
  response.set("traceparent",
               core::format_traceparent(traceparent, ctx.trace_id, ctx.span_id, ctx.trace_flags));
}

void RequestIdMiddleware::before(http::RequestContext& ctx) {
  assign_request_ids(ctx);
}

void RequestIdMiddleware::after(http::RequestContext& ctx, http::Response& response) {
  set_request_id_headers(ctx, response);
}

}  // namespace sre::service
