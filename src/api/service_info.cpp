#include "api/service_info.h"

#include <fstream>
#include <sstream>

#include "api/web_dir.h"
#include "core/build_info.h"
#include "core/log.h"
#include "http/local_reply.h"
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

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return std::nullopt;
  }
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

http::Response text_response(const http::Request& request, std::string_view content_type,
                             std::string body) {
  http::Response response{Status::ok, request.version()};
  response.set(field::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

}  // namespace

ServiceInfoApi::ServiceInfoApi(const ApiOptions& options, obs::Metrics& metrics)
    : options_(options), metrics_(metrics) {
  const std::string web_dir = options.web_dir.empty() ? default_web_dir() : options.web_dir;
  const std::string swagger = web_dir + "/node_modules/swagger-ui-dist/";
  load_asset("docs.html", web_dir + "/docs.html", "text/html; charset=utf-8");
  load_asset("docs-init.js", web_dir + "/docs-init.js", "text/javascript");
  load_asset("swagger-ui.css", swagger + "swagger-ui.css", "text/css");
  load_asset("swagger-ui-bundle.js", swagger + "swagger-ui-bundle.js", "text/javascript");
  load_asset("favicon-32x32.png", swagger + "favicon-32x32.png", "image/png");
}

void ServiceInfoApi::load_asset(const std::string& name, const std::string& path,
                                std::string content_type) {
  auto body = read_file(path);
  if (!body) {
    log::warn("docs asset missing; /docs will answer 503 (run `make build` to install it)",
              {{"asset", name}, {"path", path}});
    return;
  }
  assets_[name] = Asset{std::move(content_type), std::move(*body)};
}

void ServiceInfoApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/", http::RouteTag::operational,
             [this](auto& ctx) { return root(ctx); });
  router.add(http::Verb::get, "/metrics", http::RouteTag::metrics,
             [this](auto& ctx) { return metrics(ctx); });
  router.add(http::Verb::get, "/openapi.json", http::RouteTag::operational,
             [this](auto& ctx) { return openapi(ctx); });
  router.add(http::Verb::get, "/docs", http::RouteTag::operational,
             [this](auto& ctx) { return docs_page(ctx); });
  router.add(http::Verb::get, "/docs/assets/{file}", http::RouteTag::operational,
             [this](auto& ctx) { return docs_asset(ctx); });
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

http::asio::awaitable<http::Response> ServiceInfoApi::docs_page(http::RequestContext& ctx) {
  auto page = assets_.find("docs.html");
  if (page == assets_.end()) {
    co_return http::local_reply::error(ctx.request, Status::service_unavailable,
                                       "API docs page is not installed");
  }
  auto response = text_response(ctx.request, page->second.content_type, page->second.body);
  response.set("Content-Security-Policy", kDocsPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  co_return response;
}

http::asio::awaitable<http::Response> ServiceInfoApi::docs_asset(http::RequestContext& ctx) {
  std::string_view name = ctx.path_param("file");
  auto asset = assets_.find(name);
  if (asset == assets_.end() || name == "docs.html") {
    co_return http::local_reply::not_found(ctx.request);
  }
  auto response = text_response(ctx.request, asset->second.content_type, asset->second.body);
  response.set(field::field::cache_control, "public, max-age=3600");
  response.set("X-Content-Type-Options", "nosniff");
  co_return response;
}

}  // namespace sre::api
