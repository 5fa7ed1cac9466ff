// The last steps every server built on this stack shares: route a request (fill the
// context's route, handler and path parameters), then run its handler, or answer 404 /
// 405 + Allow when there is none. OPTIONS is answered here for every route (204 + Allow),
// and `OPTIONS *` for the whole server. A path with a dot segment ("/a/../b") routes nowhere.
#pragma once

#include "http/router.h"
#include "http/types.h"

namespace sre::http {

void route_request(const Router& router, RequestContext& ctx);
asio::awaitable<Response> run_matched_handler(RequestContext& ctx);

}  // namespace sre::http
