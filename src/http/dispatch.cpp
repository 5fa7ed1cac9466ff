#include "http/dispatch.h"

#include "http/local_reply.h"
#include "http/path_segments.h"

namespace sre::http {

void route_request(const Router& router, RequestContext& ctx) {
  if (ctx.request.target() == "*") {
    return;  // `OPTIONS *` asks about the server, not about a resource: no route
  }
  const PathSegments segments(ctx);
  // A dot segment ("." or "..", spelled out or percent-encoded) names no route: a proxy in
  // front may resolve it, we do not, so such a path is refused (404) rather than routed
  // somewhere the two of us disagree about.
  if (segments.has_dot_segment()) {
    return;
  }
  auto match = router.match(ctx.request.method(), segments.views());
  ctx.route = match.route;
  ctx.handler = match.handler;
  ctx.path_params = std::move(match.params);
}

namespace {

asio::awaitable<Response> answer_without_handler(RequestContext& ctx) {
  if (ctx.route == nullptr) {
    if (ctx.request.method() == Verb::options && ctx.request.target() == "*") {
      co_return local_reply::server_options(ctx.request);
    }
    co_return local_reply::not_found(ctx.request);
  }
  if (ctx.request.method() == Verb::options) {
    co_return local_reply::options(ctx.request, *ctx.route);
  }
  co_return local_reply::method_not_allowed(ctx.request, *ctx.route);
}

}  // namespace

// Not a coroutine itself: the handler's own coroutine is returned as it is, rather than awaited
// from a frame of ours that would do nothing else.
asio::awaitable<Response> run_matched_handler(RequestContext& ctx) {
  if (ctx.handler != nullptr) {
    return (*ctx.handler)(ctx);
  }
  return answer_without_handler(ctx);
}

}  // namespace sre::http
