// A middleware chain in the style of Envoy's filters: each middleware sees the request, may
// answer it itself (a 429, a 503) or call `next` to pass it on, and sees the response on the
// way back. The chain is built once at startup; running it allocates nothing but coroutine
// frames, and none for a middleware that has nothing to do for the request (applies_to).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "http/types.h"

namespace sre::http {

class MiddlewareChain;

// Calls the rest of the chain after the current middleware.
class Next {
 public:
  Next(const MiddlewareChain& chain, std::size_t index) : chain_(&chain), index_(index) {}
  asio::awaitable<Response> operator()(RequestContext& ctx) const;

 private:
  const MiddlewareChain* chain_;
  std::size_t index_;
};

class Middleware {
 public:
  virtual ~Middleware() = default;
  // False when handle() would only pass the request on and return the response as it is (the
  // admin guard on a route that is not an admin one): the chain then skips this middleware
  // instead of starting its coroutine, a few hundred instructions per request each. Decided
  // from what the request and its route say, when the chain reaches this middleware.
  virtual bool applies_to(const RequestContext& /*ctx*/) const { return true; }
  virtual asio::awaitable<Response> handle(RequestContext& ctx, Next next) = 0;
};

class MiddlewareChain {
 public:
  // Middlewares run in the order added; `endpoint` runs last (the router dispatch).
  explicit MiddlewareChain(Handler endpoint) : endpoint_(std::move(endpoint)) {}
  void add(std::shared_ptr<Middleware> middleware) {
    middlewares_.push_back(std::move(middleware));
  }

  asio::awaitable<Response> handle(RequestContext& ctx) const { return run(ctx, 0); }

 private:
  friend class Next;
  asio::awaitable<Response> run(RequestContext& ctx, std::size_t index) const;

  std::vector<std::shared_ptr<Middleware>> middlewares_;
  Handler endpoint_;
};

}  // namespace sre::http
