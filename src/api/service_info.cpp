#include "api/service_info.h"

#include "core/build_info.h"
#include "http/responses.h"

namespace sre::api::embedded {
extern const std::string_view openapi_json;
}

namespace sre::api {

using http::Status;
namespace field = http::beast_http;

namespace {

// Same policy as the page's <meta> tag, plus what only a header can say (no framing).
constexpr std::string_view kDocsPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

http::Response text_response(const http::Request& request, std::string_view content_type,
                             std::string body) {
  http::Response response{Status::ok, request.version()};
  response.set(field::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

}  // namespace

ServiceInfoApi::ServiceInfoApi(const ApiOptions& options, obs::Metrics& metrics)
    : options_(options),
      metrics_(metrics),
      docs_page_(
          {.title = "API docs page",
           .route = "/docs",
           .policy = kDocsPolicy,
           .html = "docs.html",
           .assets = {{"docs-init.js", "docs-init.js", "text/javascript"},
                      {"swagger-ui.css", "node_modules/swagger-ui-dist/swagger-ui.css", "text/css"},
                      {"swagger-ui-bundle.js", "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
                       "text/javascript"},
                      {"favicon-32x32.png", "node_modules/swagger-ui-dist/favicon-32x32.png",
                       "image/png"}}},
          options.web_dir) {}

void ServiceInfoApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/", http::RouteTag::operational,
             [this](auto& ctx) { return root(ctx); });
  router.add(http::Verb::get, "/metrics", http::RouteTag::metrics,
             [this](auto& ctx) { return metrics(ctx); });
  router.add(http::Verb::get, "/openapi.json", http::RouteTag::operational,
             [this](auto& ctx) { return openapi(ctx); });
  docs_page_.register_routes(router);
}

http::asio::awaitable<http::Response> ServiceInfoApi::root(http::RequestContext& ctx) {
  co_return http::json_response(ctx.request, Status::ok,
                                {{"app", options_.app_name},
                                 {"environment", options_.environment},
                                 {"status", "running"},
                                 {"version", core::version()}});
}

http::asio::awaitable<http::Response> ServiceInfoApi::metrics(http::RequestContext& ctx) {
  co_return text_response(ctx.request, "text/plain; version=0.0.4; charset=utf-8",
                          metrics_.render());
}

http::asio::awaitable<http::Response> ServiceInfoApi::openapi(http::RequestContext& ctx) {
  co_return text_response(ctx.request, "application/json", std::string(embedded::openapi_json));
}

}  // namespace sre::api
