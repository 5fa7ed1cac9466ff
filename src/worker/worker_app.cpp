#include "worker/worker_app.h"

#include "core/log.h"
#include "http/responses.h"

namespace sre::worker {

namespace {

// Every access line is logged: the worker's HTTP traffic is probes and scrapes.
constexpr double kAccessLogSampleRate = 1.0;

http::Response not_ready(const http::Request& request, std::string_view reason) {
  return http::json_response(request, http::Status::service_unavailable,
                             {{"status", "not ready"}, {"reason", reason}});
}

}  // namespace

WorkerApp::WorkerApp(Consumption& consumption, store::StudentStore& database,
                     std::shared_ptr<WorkerMetrics> metrics, unsigned io_threads)
    : http_("worker", kAccessLogSampleRate), consumption_(consumption), database_(database) {
  http_.metrics().add_collectable(std::move(metrics));
  auto& router = http_.router();
  router.add(http::Verb::get, "/health/live", http::RouteTag::liveness,
             [](http::RequestContext& ctx) -> http::asio::awaitable<http::Response> {
               co_return http::json_response(ctx.request, http::Status::ok,
                                             std::string_view(R"({"status":"alive"})"));
             });
  router.add(http::Verb::get, "/health/ready", http::RouteTag::readiness,
             [this](http::RequestContext& ctx) { return ready(ctx); });
  router.add(http::Verb::get, "/metrics", http::RouteTag::metrics,
             [this](http::RequestContext& ctx) { return render_metrics(ctx); });
  http_.start_chain({}, io_threads);
}

http::asio::awaitable<http::Response> WorkerApp::ready(http::RequestContext& ctx) {
  if (!consumption_.consuming()) {
    co_return not_ready(ctx.request, "not consuming (starting or stopping)");
  }
  if (!consumption_.source_reachable()) {
    co_return not_ready(ctx.request, "event source unreachable");
  }
  std::string error;
  try {
    co_await database_.ping();
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!error.empty()) {
    log::warn("not ready: database unavailable", {{"error", error}});
    co_return not_ready(ctx.request, "database unavailable");
  }
  co_return http::json_response(ctx.request, http::Status::ok, {{"status", "ready"}});
}

http::asio::awaitable<http::Response> WorkerApp::render_metrics(http::RequestContext& ctx) {
  http::Response response{http::Status::ok, ctx.request.version()};
  response.set(http::beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  response.body() = http_.metrics().render();
  co_return response;
}

}  // namespace sre::worker
