// The service's self-description: GET / (name, environment, version), GET /metrics, and the
// API documentation: GET /openapi.json, GET /docs and the docs page's assets.
#pragma once

#include <map>
#include <string>

#include "api/api_options.h"
#include "http/router.h"
#include "obs/metrics.h"

namespace sre::api {

class ServiceInfoApi {
 public:
  // Loads the docs page and its assets from options.web_dir (or, when it is empty, from
  // default_web_dir()) into memory, once, at startup.
  ServiceInfoApi(const ApiOptions& options, obs::Metrics& metrics);

  void register_routes(http::Router& router);

 private:
  struct Asset {
    std::string content_type;
    std::string body;
  };
  void load_asset(const std::string& name, const std::string& path, std::string content_type);

  http::asio::awaitable<http::Response> root(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> metrics(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> openapi(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> docs_page(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> docs_asset(http::RequestContext& ctx);

  const ApiOptions& options_;
  obs::Metrics& metrics_;
  std::map<std::string, Asset, std::less<>> assets_;
};

}  // namespace sre::api
