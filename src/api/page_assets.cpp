#include "api/page_assets.h"

#include <fstream>
#include <sstream>

#include "api/web_dir.h"
#include "core/log.h"
#include "http/local_reply.h"

namespace sre::api {

using http::Status;
namespace field = http::beast_http;

namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return std::nullopt;
  }
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

http::Response file_response(const http::Request& request, std::string_view content_type,
                             const std::string& body) {
  http::Response response{Status::ok, request.version()};
  response.set(field::field::content_type, content_type);
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = body;
  return response;
}

}  // namespace

PageAssets::PageAssets(const Page& page, const std::string& web_dir)
    : title_(page.title), route_(page.route), policy_(page.policy) {
  const std::string dir = (web_dir.empty() ? default_web_dir() : web_dir) + "/";
  html_ = read_file(dir + std::string(page.html));
  if (!html_) {
    log::warn(title_ + " missing; " + route_ + " will answer 503 (run `make build` to install it)",
              {{"path", dir + std::string(page.html)}});
  }
  for (const auto& file : page.assets) {
    auto body = read_file(dir + std::string(file.path));
    if (!body) {
      log::warn(title_ + " asset missing; it will answer 404 (run `make build` to install it)",
                {{"asset", file.name}, {"path", dir + std::string(file.path)}});
      continue;
    }
    assets_.emplace(file.name, Asset{std::string(file.content_type), std::move(*body)});
  }
}

void PageAssets::register_routes(http::Router& router) {
  router.add(http::Verb::get, route_, http::RouteTag::operational,
             [this](auto& ctx) { return page(ctx); });
  router.add(http::Verb::get, route_ + "/assets/{file}", http::RouteTag::operational,
             [this](auto& ctx) { return asset(ctx); });
}

http::asio::awaitable<http::Response> PageAssets::page(http::RequestContext& ctx) const {
  if (!html_) {
    co_return http::local_reply::error(ctx.request, Status::service_unavailable,
                                       title_ + " is not installed");
  }
  auto response = file_response(ctx.request, "text/html; charset=utf-8", *html_);
  response.set("Content-Security-Policy", policy_);
  co_return response;
}

http::asio::awaitable<http::Response> PageAssets::asset(http::RequestContext& ctx) const {
  auto asset = assets_.find(ctx.path_param("file"));
  if (asset == assets_.end()) {
    co_return http::local_reply::not_found(ctx.request);
  }
  auto response = file_response(ctx.request, asset->second.content_type, asset->second.body);
  response.set(field::field::cache_control, "public, max-age=3600");
  co_return response;
}

}  // namespace sre::api
