#include "service/request_id.h"

#include "core/ids.h"

namespace sre::service {

void assign_request_ids(http::RequestContext& ctx) {
  const auto& headers = ctx.request;
  std::string_view supplied = headers["X-Request-ID"];
  std::string_view traceparent = headers["traceparent"];
  if (core::is_acceptable_request_id(supplied)) {
    ctx.request_id = std::string(supplied);
  } else {
    ctx.request_id = core::generate_request_id();
    if (traceparent.empty()) {
      // A request that starts a new trace can use its own fresh id as the trace id: both are
      // 128 random bits in the same hex form. Saves generating a second one per request.
      ctx.trace_id = ctx.request_id;
      return;
    }
  }
  ctx.trace_id = core::trace_id_from_traceparent(traceparent);
}

http::asio::awaitable<http::Response> RequestIdMiddleware::handle(http::RequestContext& ctx,
                                                                  http::Next next) {
  assign_request_ids(ctx);
  http::Response response = co_await next(ctx);
  response.set("X-Request-ID", ctx.request_id);
  co_return response;
}

}  // namespace sre::service
