#include "http/middleware.h"

#include <boost/container/small_vector.hpp>
#include <span>

namespace sre::http {
namespace {

using AppliedSteps = boost::container::small_vector<StepMiddleware*, 8>;

// Called in a catch block. The innermost applied step middleware that recovers answers, as it
// would if each wrapped the rest of the chain in a try block; the answer goes into `response`.
// Returns how many of `applied`, counted from the outermost, see the response on its way back:
// the one that answered and those outside it. Rethrows when none recovers.
std::size_t recover(std::span<StepMiddleware* const> applied, RequestContext& ctx,
                    Response& response) {
  const std::exception_ptr error = std::current_exception();
  for (std::size_t i = applied.size(); i-- > 0;) {
    if (std::optional<Response> answer = applied[i]->recover(ctx, error)) {
      response = std::move(*answer);
      return i + 1;
    }
  }
  std::rethrow_exception(error);
}

}  // namespace

asio::awaitable<Response> Next::operator()(RequestContext& ctx) const {
  return chain_->run(ctx, index_);
}

void MiddlewareChain::add(std::shared_ptr<Middleware> middleware) {
  links_.push_back({std::move(middleware), nullptr});
}

void MiddlewareChain::add(std::shared_ptr<StepMiddleware> middleware) {
  links_.push_back({nullptr, std::move(middleware)});
}

asio::awaitable<Response> MiddlewareChain::run(RequestContext& ctx, std::size_t index) const {
  for (; index < links_.size(); ++index) {
    const Link& link = links_[index];
    if (link.steps != nullptr) {
      if (link.steps->applies_to(ctx)) {
        return run_steps(ctx, index);
      }
    } else if (link.coroutine->applies_to(ctx)) {
      return link.coroutine->handle(ctx, Next(*this, index + 1));
    }
  }
  return endpoint_(ctx);
}

asio::awaitable<Response> MiddlewareChain::run_steps(RequestContext& ctx, std::size_t first) const {
  AppliedSteps applied;
  Response response;
  std::size_t answered_through = 0;  // applied[0, answered_through) see the response
  try {
    std::size_t rest = first;
    for (; rest < links_.size() && links_[rest].steps != nullptr; ++rest) {
      StepMiddleware& step = *links_[rest].steps;
      if (step.applies_to(ctx)) {
        step.before(ctx);
        applied.push_back(&step);
      }
    }
    response = co_await run(ctx, rest);
    answered_through = applied.size();
  } catch (...) {
    answered_through = recover(applied, ctx, response);
  }
  for (std::size_t i = answered_through; i-- > 0;) {
    applied[i]->after(ctx, response);
  }
  co_return response;
}

}  // namespace sre::http
