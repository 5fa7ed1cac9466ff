// The server skeleton every program shares (the API, the grade service): the router, the
// metrics, and the middleware chain every request runs through:
//
//   request -> router match -> [request id] -> [metrics + access log] -> [exception boundary]
//           -> the program's own middlewares, in order -> handler
//
// Routing happens first so that every middleware knows the route (metrics and logs label by
// route template; load shedding, rate limits and chaos decide by it). A program registers its
// routes on router(), then calls start_chain() once, before serving; http::Server then calls
// handle() for every request and on_rejected() for those it answered itself.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "http/middleware.h"
#include "http/router.h"
#include "obs/metrics.h"
#include "service/observability.h"

namespace sre::service {

class HttpApp {
 public:
  // `service` names the process in the metrics; successes' access lines are sampled at
  // `access_log_sample_rate` (errors are always logged).
  HttpApp(std::string_view service, double access_log_sample_rate);

  http::Router& router() { return router_; }
  const http::Router& router() const { return router_; }
  obs::Metrics& metrics() { return metrics_; }

  // Call once every route is registered: labels the HTTP metrics by route template and builds
  // the chain, with `middlewares` after the exception boundary, in the order given.
  void start_chain(std::vector<std::shared_ptr<http::Middleware>> middlewares, unsigned io_threads);

  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx);
  // For requests the server answered itself (too large, malformed, too slow): the request id
  // header, metrics and access log, as for any other answer.
  void on_rejected(http::RequestContext& ctx, http::Response& response);

 private:
  http::Router router_;
  obs::Metrics metrics_;
  std::shared_ptr<ObservabilityMiddleware> observability_;
  std::unique_ptr<http::MiddlewareChain> chain_;
};

}  // namespace sre::service
