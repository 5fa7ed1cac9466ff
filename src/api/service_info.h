// The service's self-description: GET / (name, environment, version), GET /metrics, and the
// API documentation: GET /openapi.json, GET /docs and the docs page's assets.
#pragma once

#include "api/api_options.h"
#include "api/page_assets.h"
#include "http/router.h"
#include "obs/metrics.h"

namespace sre::api {

class ServiceInfoApi {
 public:
  // Loads the docs page and its assets from options.web_dir (see PageAssets), once.
  ServiceInfoApi(const ApiOptions& options, obs::Metrics& metrics);

  void register_routes(http::Router& router);

 private:
  http::asio::awaitable<http::Response> root(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> metrics(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> openapi(http::RequestContext& ctx);

  const ApiOptions& options_;
  obs::Metrics& metrics_;
  PageAssets docs_page_;
};

}  // namespace sre::api
