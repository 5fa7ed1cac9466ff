#include "grades/grade_service_process.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/url/url_view.hpp>
#include <csignal>
#include <thread>

#include "api/middleware/observability.h"
#include "api/middleware/request_id.h"
#include "api/serve.h"
#include "core/build_info.h"
#include "core/log.h"
#include "grades/grade_service.h"
#include "http/dispatch.h"
#include "http/middleware.h"
#include "http/responses.h"
#include "http/server.h"

namespace sre::grades {

namespace asio = boost::asio;

namespace {

// The grade service's routes and middleware chain: request id -> metrics + access log ->
// handler, as in the API (no load shedding, no breaker: it is the dependency).
class GradeServiceApp {
 public:
  GradeServiceApp(const core::Config& config, unsigned threads)
      : metrics_("grade-service"), api_(config, metrics_.registry()) {
    api_.register_routes(router_);
    router_.add(http::Verb::get, "/health/live",
                [](http::RequestContext& ctx) -> http::asio::awaitable<http::Response> {
                  co_return http::json_response(ctx.request, http::Status::ok,
                                                std::string_view(R"({"status":"alive"})"));
                });
    router_.add(http::Verb::get, "/metrics",
                [this](http::RequestContext& ctx) -> http::asio::awaitable<http::Response> {
                  http::Response response{http::Status::ok, ctx.request.version()};
                  response.set(http::beast_http::field::content_type,
                               "text/plain; version=0.0.4; charset=utf-8");
                  response.body() = metrics_.render();
                  co_return response;
                });
    std::vector<std::string> labels{"unmatched"};
    for (const auto& route : router_.routes()) {
      labels.push_back(route.path_template);
    }
    metrics_.track_http_routes(std::move(labels), threads);
    observability_ = std::make_shared<api::ObservabilityMiddleware>(metrics_, 1.0);
    chain_ = std::make_unique<http::MiddlewareChain>(
        [](http::RequestContext& ctx) { return http::run_matched_handler(ctx); });
    chain_->add(std::make_shared<api::RequestIdMiddleware>());
    chain_->add(observability_);
  }

  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx) {
    http::route_request(router_, ctx);
    return chain_->handle(ctx);
  }

  void on_rejected(http::RequestContext& ctx, http::Response& response) {
    api::assign_request_ids(ctx);
    response.set("X-Request-ID", ctx.request_id);
    observability_->record(ctx, response);
  }

 private:
  obs::Metrics metrics_;
  GradeServiceApi api_;
  http::Router router_;
  std::shared_ptr<api::ObservabilityMiddleware> observability_;
  std::unique_ptr<http::MiddlewareChain> chain_;
};

}  // namespace

int run_grade_service(const core::Config& config) {
  log::init("grade-service", config.log_level);
  const unsigned threads = api::io_thread_count(config);
  log::info("starting", {{"version", core::version()},
                         {"io_threads", threads},
                         {"port", config.port},
                         {"error_rate", config.grade_error_rate},
                         {"latency_ms", config.grade_latency_ms},
                         {"latency_jitter_ms", config.grade_latency_jitter_ms}});
  int exit_code = 0;
  {
    GradeServiceApp app(config, threads);
    http::Server server(
        api::server_options(config, threads),
        [&app](http::RequestContext& ctx) { return app.handle(ctx); },
        [&app](http::RequestContext& ctx, http::Response& response) {
          app.on_rejected(ctx, response);
        },
        nullptr);
    asio::io_context main_context;
    asio::signal_set signals(main_context, SIGINT, SIGTERM);
    try {
      server.start();
      log::info("listening", {{"host", config.host}, {"port", server.port()}});
      // A test double of a remote service: on a signal it just stops (requests held by an
      // outage would otherwise keep it alive).
      signals.async_wait([&](const boost::system::error_code&, int signal) {
        log::info("stopping", {{"signal", signal}});
      });
      main_context.run();
    } catch (const std::exception& e) {
      log::error("startup failed", {{"error", e.what()}});
      exit_code = 1;
    }
    server.stop();
  }
  log::info("stopped", {{"exit_code", exit_code}});
  log::shutdown();
  return exit_code;
}

}  // namespace sre::grades
