// The shared server skeleton on a real Asio event loop: requests go through HttpApp::handle,
// the router and the whole middleware chain, as the HTTP server would send them.
#include "service/http_app.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/errors.h"
#include "core/io_thread.h"
#include "core/log.h"
#include "core/log_context.h"
#include "http/responses.h"
#include "service/load_shedding.h"

namespace sre::service {
namespace {

namespace asio = boost::asio;
using http::RouteTag;
using http::Status;
using http::Verb;

// A request as the connection hands it over: parsed target, received now.
struct TestRequest {
  TestRequest(Verb method, const std::string& target) {
    ctx.request.method(method);
    ctx.request.target(target);
    ctx.request.version(11);
  }
  http::RequestContext ctx;
};

http::Response run(HttpApp& app, http::RequestContext& ctx) {
  asio::io_context loop;
  std::optional<http::Response> response;
  asio::co_spawn(loop, app.handle(ctx),
                 [&](const std::exception_ptr& error, http::Response answer) {
                   if (error) {
                     std::rethrow_exception(error);
                   }
                   response = std::move(answer);
                 });
  loop.run();
  return std::move(response).value();
}

http::Handler answer_ok() {
  return [](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    co_return http::json_response(ctx.request, Status::ok, std::string_view(R"({"ok":true})"));
  };
}

// Remembers what it saw, and that it ran.
class Probe : public http::Middleware {
 public:
  asio::awaitable<http::Response> handle(http::RequestContext& ctx, http::Next next) override {
    ++calls;
    seen_request_id = ctx.request_id;
    co_return co_await next(ctx);
  }
  int calls = 0;
  std::string seen_request_id;
};

// Counts with the sample rate at 1, so every access line is written.
class HttpAppTest : public ::testing::Test {
 protected:
  HttpAppTest() : app("test", 1.0) {
    app.router().add(Verb::get, "/ok", RouteTag::public_api, answer_ok());
    app.router().add(Verb::get, "/metrics", RouteTag::metrics, answer_ok());
    app.router().add(Verb::get, "/admin/switch", RouteTag::admin, answer_ok());
    app.router().add(Verb::get, "/bug", RouteTag::public_api,
                     [](http::RequestContext&) -> asio::awaitable<http::Response> {
                       throw std::logic_error("a bug");
                       co_return http::Response{};
                     });
    app.router().add(Verb::get, "/down", RouteTag::public_api,
                     [](http::RequestContext&) -> asio::awaitable<http::Response> {
                       throw core::DependencyUnavailable("database", "gone",
                                                         std::chrono::seconds(7));
                       co_return http::Response{};
                     });
  }

  double requests_counted(std::string_view route, std::string_view status) {
    const std::string text = app.metrics().render();
    const std::string needle = "http_requests_total{";
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
      const std::string line = text.substr(at, text.find('\n', at) - at);
      if (line.find("route=\"" + std::string(route) + "\"") != std::string::npos &&
          line.find("status=\"" + std::string(status) + "\"") != std::string::npos) {
        return std::stod(line.substr(line.rfind(' ') + 1));
      }
    }
    return 0;
  }

  HttpApp app;
};

TEST_F(HttpAppTest, GivesEveryRequestAnIdBeforeTheRestOfTheChainAndEchoesIt) {
  auto probe = std::make_shared<Probe>();
  app.start_chain({probe}, 1);
  TestRequest request(Verb::get, "/ok");
  request.ctx.request.set("X-Request-ID", "0123456789abcdef0123456789abcdef");
  const auto response = run(app, request.ctx);
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(probe->seen_request_id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(response["X-Request-ID"], "0123456789abcdef0123456789abcdef");
}

TEST_F(HttpAppTest, JoinsTheCallersTraceWithASpanOfItsOwn) {
  app.start_chain({}, 1);
  TestRequest request(Verb::get, "/ok");
  request.ctx.request.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  request.ctx.request.set("tracestate", "rojo=00f067aa0ba902b7");
  const auto response = run(app, request.ctx);
  EXPECT_EQ(request.ctx.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(request.ctx.trace_flags, 1);
  EXPECT_EQ(request.ctx.tracestate, "rojo=00f067aa0ba902b7");
  ASSERT_EQ(request.ctx.span_id.size(), 16U);
  EXPECT_NE(request.ctx.span_id, "00f067aa0ba902b7");
  EXPECT_EQ(response["traceparent"],
            "00-4bf92f3577b34da6a3ce929d0e0e4736-" + request.ctx.span_id + "-01");
}

TEST_F(HttpAppTest, StartsATraceWhenTheCallerSentNoneOrAnInvalidOne) {
  app.start_chain({}, 1);
  TestRequest request(Verb::get, "/ok");
  request.ctx.request.set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
  request.ctx.request.set("tracestate", "rojo=00f067aa0ba902b7");
  const auto response = run(app, request.ctx);
  ASSERT_EQ(request.ctx.trace_id.size(), 32U);
  EXPECT_NE(request.ctx.trace_id, std::string(32, '0'));
  EXPECT_EQ(request.ctx.tracestate, "");  // belongs to the trace that was refused
  EXPECT_EQ(response["traceparent"],
            "00-" + request.ctx.trace_id + "-" + request.ctx.span_id + "-00");
}

TEST_F(HttpAppTest, TheAccessLineCarriesTheRequestIdAndTheStatus) {
  app.start_chain({}, 1);
  TestRequest request(Verb::get, "/bug");
  // What the connection does for each request: the request's ids become the log context.
  log::RequestLogContext context{&request.ctx.request_id, &request.ctx.trace_id,
                                 &request.ctx.span_id};
  log::ScopedRequestLogContext scope(&context);
  testing::internal::CaptureStdout();
  log::init("test", "info");
  const auto response = run(app, request.ctx);
  log::shutdown();
  const std::string out = testing::internal::GetCapturedStdout();
  ASSERT_FALSE(request.ctx.request_id.empty());
  bool found = false;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    const auto line = boost::json::parse(out.substr(start, end - start)).as_object();
    if (line.at("msg").as_string() == "request") {
      found = true;
      EXPECT_EQ(line.at("request_id").as_string(), request.ctx.request_id) << out;
      EXPECT_EQ(line.at("trace_id").as_string(), request.ctx.trace_id) << out;
      EXPECT_EQ(line.at("span_id").as_string(), request.ctx.span_id) << out;
      EXPECT_EQ(line.at("status").as_int64(), 500) << out;
      EXPECT_EQ(line.at("route").as_string(), "/bug") << out;
    }
    start = end == std::string::npos ? out.size() : end + 1;
  }
  EXPECT_TRUE(found) << out;
  EXPECT_EQ(response.result(), Status::internal_server_error);
}

TEST_F(HttpAppTest, AThrowingHandlerBecomesA500WithTheRequestIdAndIsCounted) {
  app.start_chain({}, 1);
  TestRequest request(Verb::get, "/bug");
  const auto response = run(app, request.ctx);
  ASSERT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(response[http::beast_http::field::content_type], "application/json");
  const auto body = boost::json::parse(response.body());
  EXPECT_EQ(body.at("detail").as_string(), "Internal Server Error");
  EXPECT_EQ(body.at("request_id").as_string(), request.ctx.request_id);
  EXPECT_EQ(response["X-Request-ID"], request.ctx.request_id);
  EXPECT_EQ(requests_counted("/bug", "500"), 1);
}

TEST_F(HttpAppTest, AnUnavailableDependencyBecomesA503WithItsRetryAfter) {
  app.start_chain({}, 1);
  TestRequest request(Verb::get, "/down");
  const auto response = run(app, request.ctx);
  ASSERT_EQ(response.result(), Status::service_unavailable);
  EXPECT_EQ(response[http::beast_http::field::retry_after], "7");
  EXPECT_EQ(boost::json::parse(response.body()).at("detail").as_string(),
            "Service temporarily unavailable");
  EXPECT_EQ(requests_counted("/down", "503"), 1);
}

TEST_F(HttpAppTest, UnknownPathsAndMethodsGetLocalRepliesCountedAsUnmatched) {
  app.start_chain({}, 1);
  TestRequest missing(Verb::get, "/nowhere");
  EXPECT_EQ(run(app, missing.ctx).result(), Status::not_found);
  EXPECT_EQ(requests_counted("unmatched", "404"), 1);
  TestRequest wrong_method(Verb::post, "/ok");
  const auto response = run(app, wrong_method.ctx);
  EXPECT_EQ(response.result(), Status::method_not_allowed);
  EXPECT_EQ(response[http::beast_http::field::allow], "GET, HEAD, OPTIONS");
}

// The shedder answers before anything after it runs (the API puts rate limits and chaos
// there: an overloaded instance spends nothing on them), and lets the never-shed tags through.
class SheddingChainTest : public HttpAppTest {
 protected:
  void SetUp() override {
    app.router().add(Verb::get, "/slow", RouteTag::public_api,
                     [](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
                       asio::steady_timer timer(co_await asio::this_coro::executor,
                                                std::chrono::milliseconds(20));
                       co_await timer.async_wait(asio::use_awaitable);
                       co_return http::json_response(ctx.request, Status::ok,
                                                     std::string_view("{}"));
                     });
    const resilience::LoadShedderOptions one_in_flight{1, std::chrono::milliseconds(0), 1};
    app.start_chain({std::make_shared<LoadSheddingMiddleware>(one_in_flight, registry), after}, 1);
  }
  // The answer to `target` while a request to /slow is in flight (the in-flight bound is 1),
  // on an I/O thread of its own (the shedder counts I/O threads' requests only).
  http::Response while_busy(const std::string& target) {
    std::optional<http::Response> response;
    std::thread io_thread([&] {
      core::set_io_thread_index(0);
      TestRequest slow(Verb::get, "/slow");
      TestRequest request(Verb::get, target);
      asio::io_context loop;
      asio::co_spawn(loop, app.handle(slow.ctx), asio::detached);  // runs until its timer
      asio::co_spawn(
          loop, app.handle(request.ctx),
          [&](const std::exception_ptr&, http::Response answer) { response = std::move(answer); });
      loop.run();
    });
    io_thread.join();
    return std::move(response).value();
  }
  prometheus::Registry registry;
  std::shared_ptr<Probe> after = std::make_shared<Probe>();
};

TEST_F(SheddingChainTest, ShedsPublicRoutesBeforeTheRestOfTheChain) {
  const auto response = while_busy("/ok");
  ASSERT_EQ(response.result(), Status::service_unavailable);
  EXPECT_EQ(response[http::beast_http::field::retry_after], "1");
  EXPECT_EQ(after->calls, 1);  // the slow request only
  EXPECT_EQ(requests_counted("/ok", "503"), 1);
  EXPECT_EQ(requests_counted("/slow", "200"), 1);
}

TEST_F(SheddingChainTest, NeverShedsMetricsOrAdminRoutes) {
  EXPECT_EQ(while_busy("/metrics").result(), Status::ok);
  EXPECT_EQ(while_busy("/admin/switch").result(), Status::ok);
  EXPECT_EQ(after->calls, 4);
}

TEST(NeverShed, ProbesMetricsAndAdminOnly) {
  EXPECT_TRUE(never_shed(RouteTag::liveness));
  EXPECT_TRUE(never_shed(RouteTag::readiness));
  EXPECT_TRUE(never_shed(RouteTag::metrics));
  EXPECT_TRUE(never_shed(RouteTag::admin));
  EXPECT_FALSE(never_shed(RouteTag::operational));    // docs, the service root
  EXPECT_FALSE(never_shed(RouteTag::health_report));  // the /health report
  EXPECT_FALSE(never_shed(RouteTag::public_api));
}

}  // namespace
}  // namespace sre::service
