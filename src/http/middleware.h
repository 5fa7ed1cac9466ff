// A middleware chain in the style of Envoy's filters: each middleware sees the request, may
// answer it itself (a 429, a 503) or pass it on, and sees the response on the way back. The
// chain is built once at startup; running it allocates nothing but coroutine frames, and none
// for a middleware that has nothing to do for the request (applies_to).
//
// Two kinds:
//   Middleware      a coroutine around the rest of the chain: it may wait (for Redis, for a
//                   delay) before or after passing the request on.
//   StepMiddleware  steps the chain calls around the rest, which never wait: before, after, and
//                   recover (the rest threw). Envoy's filters work this way, by callbacks. A
//                   coroutine frame, its start and its resumption cost a few hundred
//                   instructions per request each; consecutive step middlewares share one, the
//                   chain's own.
// Both see the same thing: a step middleware behaves exactly as the coroutine
//   before(ctx); try { response = co_await next(ctx); } catch (...) { recover or rethrow }
//   after(ctx, response);
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
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

// What both kinds share.
class ChainLink {
 public:
  virtual ~ChainLink() = default;
  // False when the middleware would only pass the request on and return the response as it is
  // (the admin guard on a route that is not an admin one): the chain then skips it. Decided
  // from what the request and its route say, when the chain reaches this middleware.
  virtual bool applies_to(const RequestContext& /*ctx*/) const { return true; }
};

class Middleware : public ChainLink {
 public:
  virtual asio::awaitable<Response> handle(RequestContext& ctx, Next next) = 0;
};

class StepMiddleware : public ChainLink {
 public:
  // Before the rest of the chain sees the request.
  virtual void before(RequestContext& /*ctx*/) {}
  // The rest of the chain (or a before() after this one) threw: the answer to send instead,
  // or nullopt to let the exception go on outward. Asked innermost first.
  virtual std::optional<Response> recover(RequestContext& /*ctx*/,
                                          const std::exception_ptr& /*error*/) {
    return std::nullopt;
  }
  // The response on its way back, whether the rest of the chain or a recover() answered. An
  // exception from here is offered to no recover(): it ends the request (the connection logs it
  // and closes).
  virtual void after(RequestContext& /*ctx*/, Response& /*response*/) {}
};

class MiddlewareChain {
 public:
  // Middlewares run in the order added; `endpoint` runs last (the router dispatch).
  explicit MiddlewareChain(Handler endpoint) : endpoint_(std::move(endpoint)) {}
  void add(std::shared_ptr<Middleware> middleware);
  void add(std::shared_ptr<StepMiddleware> middleware);

  asio::awaitable<Response> handle(RequestContext& ctx) const { return run(ctx, 0); }

 private:
  friend class Next;
  // Exactly one of the two is set.
  struct Link {
    std::shared_ptr<Middleware> coroutine;
    std::shared_ptr<StepMiddleware> steps;
  };

  // The rest of the chain from `index` on.
  asio::awaitable<Response> run(RequestContext& ctx, std::size_t index) const;
  // The step middlewares from `first` (which applies) up to the next coroutine middleware, in
  // one coroutine, around the rest of the chain.
  asio::awaitable<Response> run_steps(RequestContext& ctx, std::size_t first) const;

  std::vector<Link> links_;
  Handler endpoint_;
};

}  // namespace sre::http
