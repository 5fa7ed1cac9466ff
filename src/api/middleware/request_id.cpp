#include "api/middleware/request_id.h"

#include "core/ids.h"

namespace sre::api {

void assign_request_ids(http::RequestContext& ctx) {
  const auto& headers = ctx.request;
  std::string_view supplied = headers["X-Request-ID"];
  ctx.request_id = core::is_acceptable_request_id(supplied) ? std::string(supplied)
                                                            : core::generate_request_id();
  ctx.trace_id = core::trace_id_from_traceparent(headers["traceparent"]);
}

http::asio::awaitable<http::Response> RequestIdMiddleware::handle(http::RequestContext& ctx,
                                                                  http::Next next) {
  assign_request_ids(ctx);
  http::Response response = co_await next(ctx);
  response.set("X-Request-ID", ctx.request_id);
  co_return response;
}

}  // namespace sre::api
