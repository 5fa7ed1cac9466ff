// The middleware chain on a real Asio event loop: the order in which middlewares of both kinds
// see a request and its response, what a step middleware that does not apply misses, and which
// recover() answers an exception (the same as nested coroutines with try blocks would).
#include "http/middleware.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sre::http {
namespace {

using Trace = std::vector<std::string>;

// A step middleware that writes each step it runs into the trace.
class TracingSteps : public StepMiddleware {
 public:
  struct Options {
    bool applies = true;
    bool recovers = false;
    bool throws_before = false;
  };
  TracingSteps(std::string name, Trace& trace, Options options)
      : name_(std::move(name)), trace_(trace), options_(options) {}

  bool applies_to(const RequestContext& /*ctx*/) const override { return options_.applies; }
  void before(RequestContext& /*ctx*/) override {
    trace_.push_back(name_ + ".before");
    if (options_.throws_before) {
      throw std::runtime_error(name_ + " failed");
    }
  }
  std::optional<Response> recover(RequestContext& /*ctx*/,
                                  const std::exception_ptr& /*error*/) override {
    trace_.push_back(name_ + ".recover");
    if (!options_.recovers) {
      return std::nullopt;
    }
    Response answer{Status::service_unavailable, 11};
    answer.body() = name_;
    return answer;
  }
  void after(RequestContext& /*ctx*/, Response& response) override {
    trace_.push_back(name_ + ".after");
    response.body() += "<" + name_;
  }

 private:
  std::string name_;
  Trace& trace_;
  Options options_;
};

// A coroutine middleware that writes into the trace on its way in and out.
class TracingCoroutine : public Middleware {
 public:
  TracingCoroutine(std::string name, Trace& trace) : name_(std::move(name)), trace_(trace) {}
  asio::awaitable<Response> handle(RequestContext& ctx, Next next) override {
    trace_.push_back(name_ + ".in");
    Response response = co_await next(ctx);
    trace_.push_back(name_ + ".out");
    co_return response;
  }

 private:
  std::string name_;
  Trace& trace_;
};

Handler endpoint(Trace& trace, bool throws = false) {
  return [&trace, throws](RequestContext& /*ctx*/) -> asio::awaitable<Response> {
    trace.push_back("endpoint");
    if (throws) {
      throw std::runtime_error("handler failed");
    }
    Response response{Status::ok, 11};
    response.body() = "endpoint";
    co_return response;
  };
}

// The response, or the exception that left the chain.
struct Outcome {
  std::optional<Response> response;
  std::exception_ptr error;
};

Outcome run(const MiddlewareChain& chain) {
  asio::io_context loop;
  RequestContext ctx;
  Outcome outcome;
  asio::co_spawn(loop, chain.handle(ctx), [&](const std::exception_ptr& error, Response response) {
    outcome.error = error;
    if (!error) {
      outcome.response = std::move(response);
    }
  });
  loop.run();
  return outcome;
}

TEST(MiddlewareChain, StepsRunAroundTheRestInTheOrderNestedCoroutinesWould) {
  Trace trace;
  MiddlewareChain chain(endpoint(trace));
  chain.add(std::make_shared<TracingSteps>("a", trace, TracingSteps::Options{}));
  chain.add(std::make_shared<TracingSteps>("b", trace, TracingSteps::Options{}));
  chain.add(std::make_shared<TracingCoroutine>("c", trace));
  chain.add(std::make_shared<TracingSteps>("d", trace, TracingSteps::Options{}));
  const Outcome outcome = run(chain);
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(outcome.response->body(), "endpoint<d<b<a");
  EXPECT_EQ(trace, (Trace{"a.before", "b.before", "c.in", "d.before", "endpoint", "d.after",
                          "c.out", "b.after", "a.after"}));
}

TEST(MiddlewareChain, AStepMiddlewareThatDoesNotApplyRunsNoStep) {
  Trace trace;
  MiddlewareChain chain(endpoint(trace));
  chain.add(std::make_shared<TracingSteps>("a", trace, TracingSteps::Options{}));
  chain.add(std::make_shared<TracingSteps>("b", trace, TracingSteps::Options{.applies = false}));
  chain.add(std::make_shared<TracingSteps>("c", trace, TracingSteps::Options{}));
  run(chain);
  EXPECT_EQ(trace, (Trace{"a.before", "c.before", "endpoint", "c.after", "a.after"}));
}

TEST(MiddlewareChain, TheInnermostRecoveringStepAnswersAndThoseOutsideItSeeTheAnswer) {
  Trace trace;
  MiddlewareChain chain(endpoint(trace, /*throws=*/true));
  chain.add(std::make_shared<TracingSteps>("a", trace, TracingSteps::Options{.recovers = true}));
  chain.add(std::make_shared<TracingSteps>("b", trace, TracingSteps::Options{.recovers = true}));
  chain.add(std::make_shared<TracingSteps>("c", trace, TracingSteps::Options{}));
  const Outcome outcome = run(chain);
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(outcome.response->result(), Status::service_unavailable);
  EXPECT_EQ(outcome.response->body(), "b<b<a");
  EXPECT_EQ(trace, (Trace{"a.before", "b.before", "c.before", "endpoint", "c.recover", "b.recover",
                          "b.after", "a.after"}));
}

TEST(MiddlewareChain, AnExceptionNoStepRecoversLeavesTheChain) {
  Trace trace;
  MiddlewareChain chain(endpoint(trace, /*throws=*/true));
  chain.add(std::make_shared<TracingSteps>("a", trace, TracingSteps::Options{}));
  const Outcome outcome = run(chain);
  ASSERT_TRUE(outcome.error);
  EXPECT_THROW(std::rethrow_exception(outcome.error), std::runtime_error);
  EXPECT_EQ(trace, (Trace{"a.before", "endpoint", "a.recover"}));
}

TEST(MiddlewareChain, ABeforeThatThrowsIsRecoveredOnlyByTheStepsOutsideIt) {
  Trace trace;
  MiddlewareChain chain(endpoint(trace));
  chain.add(std::make_shared<TracingSteps>("a", trace, TracingSteps::Options{.recovers = true}));
  chain.add(std::make_shared<TracingSteps>(
      "b", trace, TracingSteps::Options{.recovers = true, .throws_before = true}));
  chain.add(std::make_shared<TracingSteps>("c", trace, TracingSteps::Options{}));
  const Outcome outcome = run(chain);
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(outcome.response->body(), "a<a");
  EXPECT_EQ(trace, (Trace{"a.before", "b.before", "a.recover", "a.after"}));
}

TEST(MiddlewareChain, AnExceptionThroughACoroutineMiddlewareReachesTheStepsOutsideIt) {
  Trace trace;
  MiddlewareChain chain(endpoint(trace, /*throws=*/true));
  chain.add(std::make_shared<TracingSteps>("a", trace, TracingSteps::Options{.recovers = true}));
  chain.add(std::make_shared<TracingCoroutine>("b", trace));
  const Outcome outcome = run(chain);
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(outcome.response->body(), "a<a");
  EXPECT_EQ(trace, (Trace{"a.before", "b.in", "endpoint", "a.recover", "a.after"}));
}

}  // namespace
}  // namespace sre::http
