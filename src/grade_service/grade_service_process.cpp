#include "grade_service/grade_service_process.h"

#include "core/build_info.h"
#include "core/log.h"
#include "grade_service/grade_service.h"
#include "http/responses.h"
#include "http/server.h"
#include "http/server_settings.h"
#include "service/admin_guard.h"
#include "service/http_app.h"
#include "service/run_until_signal.h"

namespace sre::grade_service {

namespace {

// Every access line is logged: the grade service is a test double, its traffic is small.
constexpr double kAccessLogSampleRate = 1.0;

// The grade service's routes and chain: no load shedding, no rate limits, no chaos (it is the
// dependency; its faults are its own, see grade_service.h); the admin guard keeps other web
// sites from setting its faults.
class GradeServiceApp {
 public:
  GradeServiceApp(const FaultOptions& faults, unsigned threads)
      : http_("grade-service", kAccessLogSampleRate), api_(faults, http_.metrics().registry()) {
    auto& router = http_.router();
    api_.register_routes(router);
    router.add(http::Verb::get, "/health/live", http::RouteTag::liveness,
               [](http::RequestContext& ctx) -> http::asio::awaitable<http::Response> {
                 co_return http::json_response(ctx.request, http::Status::ok,
                                               std::string_view(R"({"status":"alive"})"));
               });
    router.add(http::Verb::get, "/metrics", http::RouteTag::metrics,
               [this](http::RequestContext& ctx) -> http::asio::awaitable<http::Response> {
                 http::Response response{http::Status::ok, ctx.request.version()};
                 response.set(http::beast_http::field::content_type,
                              "text/plain; version=0.0.4; charset=utf-8");
                 response.body() = http_.metrics().render();
                 co_return response;
               });
    http_.start_chain({std::make_shared<service::AdminGuardMiddleware>(http_.metrics().registry())},
                      threads);
  }

  service::HttpApp& http() { return http_; }

 private:
  service::HttpApp http_;
  GradeServiceApi api_;
};

}  // namespace

int run_grade_service(const GradeServiceConfig& config) {
  log::init("grade-service", config.log.level);
  http::ServerOptions server_options = config.server;
  server_options.threads = http::io_thread_count(config.server);
  const unsigned threads = server_options.threads;
  log::info("starting", {{"version", core::version()},
                         {"io_threads", threads},
                         {"port", config.server.port},
                         {"error_rate", config.faults.error_rate},
                         {"latency_ms", config.faults.latency.count()},
                         {"latency_jitter_ms", config.faults.latency_jitter.count()}});
  int exit_code = 0;
  {
    GradeServiceApp app(config.faults, threads);
    http::Server server(
        server_options, [&app](http::RequestContext& ctx) { return app.http().handle(ctx); },
        [&app](http::RequestContext& ctx, http::Response& response) {
          app.http().on_rejected(ctx, response);
        },
        nullptr);
    server.track_refusals(app.http().metrics().registry());
    // A test double of a remote service: on a signal it stops at once (requests held by an
    // outage would otherwise keep it alive).
    exit_code = service::run_until_signal(server, {.host = config.server.host});
    server.stop();
  }
  log::info("stopped", {{"exit_code", exit_code}});
  log::shutdown();
  return exit_code;
}

}  // namespace sre::grade_service
