#include "http/middleware.h"

namespace sre::http {

asio::awaitable<Response> Next::operator()(RequestContext& ctx) const {
  return chain_->run(ctx, index_);
}

asio::awaitable<Response> MiddlewareChain::run(RequestContext& ctx, std::size_t index) const {
  while (index < middlewares_.size() && !middlewares_[index]->applies_to(ctx)) {
    ++index;
  }
  if (index == middlewares_.size()) {
    return endpoint_(ctx);
  }
  return middlewares_[index]->handle(ctx, Next(*this, index + 1));
}

}  // namespace sre::http
