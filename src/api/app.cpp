#include "api/app.h"

#include <boost/url/segments_view.hpp>
#include <boost/url/url_view.hpp>

#include "api/middleware/request_id.h"
#include "core/build_info.h"
#include "http/responses.h"

namespace sre::api {

namespace {

// Path segments of the request target, percent-decoded, for the router.
std::vector<std::string> path_segments(const boost::urls::url_view& url) {
  std::vector<std::string> segments;
  segments.reserve(url.segments().size());
  for (auto segment : url.segments()) {
    segments.push_back(segment);
  }
  return segments;
}

}  // namespace

App::App(const core::Config& config, store::StudentStore& store, Lifecycle& lifecycle,
         unsigned io_threads)
    : metrics_(std::make_unique<obs::Metrics>(config.app_name)),
      caching_and_limits_(std::make_unique<CachingAndLimits>(config, *metrics_)),
      students_(
          std::make_unique<StudentsApi>(store, *metrics_, caching_and_limits_->students_cache())),
      health_(std::make_unique<HealthApi>(lifecycle, store, std::string(core::version()))),
      service_info_(std::make_unique<ServiceInfoApi>(config, *metrics_)) {
  service_info_->register_routes(router_);
  health_->register_routes(router_);
  students_->register_routes(router_);

  std::vector<std::string> route_labels{"unmatched"};
  for (const auto& route : router_.routes()) {
    route_labels.push_back(route.path_template);
  }
  // One shard per I/O thread, plus shard 0 for everything else.
  metrics_->track_http_routes(std::move(route_labels), io_threads + 1);

  observability_ =
      std::make_shared<ObservabilityMiddleware>(*metrics_, config.access_log_sample_rate);
  chain_ = std::make_unique<http::MiddlewareChain>(
      [this](http::RequestContext& ctx) { return dispatch(ctx); });
  chain_->add(std::make_shared<RequestIdMiddleware>());
  chain_->add(observability_);
  if (auto rate_limit = caching_and_limits_->rate_limit_middleware()) {
    chain_->add(std::move(rate_limit));
  }
}

http::asio::awaitable<http::Response> App::handle(http::RequestContext& ctx) {
  auto match = router_.match(ctx.request.method(), path_segments(ctx.url));
  ctx.route = match.route;
  ctx.handler = match.handler;
  ctx.path_params = std::move(match.params);
  return chain_->handle(ctx);
}

http::asio::awaitable<http::Response> App::dispatch(http::RequestContext& ctx) {
  if (ctx.handler != nullptr) {
    co_return co_await (*ctx.handler)(ctx);
  }
  if (ctx.route == nullptr) {
    co_return http::error_response(ctx.request, http::Status::not_found, "Not Found");
  }
  auto response =
      http::error_response(ctx.request, http::Status::method_not_allowed, "Method Not Allowed");
  response.set(http::beast_http::field::allow, http::allow_header(*ctx.route));
  co_return response;
}

void App::on_rejected(http::RequestContext& ctx, http::Response& response) {
  assign_request_ids(ctx);
  response.set("X-Request-ID", ctx.request_id);
  observability_->record(ctx, response);
}

}  // namespace sre::api
