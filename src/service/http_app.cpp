#include "service/http_app.h"

#include "http/dispatch.h"
#include "service/exception_boundary.h"
#include "service/request_id.h"

namespace sre::service {

HttpApp::HttpApp(std::string_view service, double access_log_sample_rate)
    : metrics_(service),
      observability_(std::make_shared<ObservabilityMiddleware>(metrics_, access_log_sample_rate)) {}

void HttpApp::start_chain(std::vector<std::shared_ptr<http::Middleware>> middlewares,
                          unsigned io_threads) {
  std::vector<std::string> route_labels{"unmatched"};
  for (const auto& route : router_.routes()) {
    route_labels.push_back(route.path_template);
  }
  metrics_.track_http_routes(std::move(route_labels), io_threads);

  chain_ = std::make_unique<http::MiddlewareChain>(
      [](http::RequestContext& ctx) { return http::run_matched_handler(ctx); });
  chain_->add(std::make_shared<RequestIdMiddleware>());
  chain_->add(observability_);
  chain_->add(std::make_shared<ExceptionBoundaryMiddleware>(metrics_));
  for (auto& middleware : middlewares) {
    chain_->add(std::move(middleware));
  }
}

http::asio::awaitable<http::Response> HttpApp::handle(http::RequestContext& ctx) {
  http::route_request(router_, ctx);
  return chain_->handle(ctx);
}

void HttpApp::on_rejected(http::RequestContext& ctx, http::Response& response) {
  assign_request_ids(ctx);
  set_request_id_headers(ctx, response);
  observability_->record(ctx, response);
}

}  // namespace sre::service
