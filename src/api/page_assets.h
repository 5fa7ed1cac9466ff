// One of the service's own web pages (the API docs at /docs, the SLO page at /slo) and the files
// it loads. The files are read once, at startup, from the web directory (WEB_DIR, or
// default_web_dir() when that is empty) and served from memory: the page under its
// Content-Security-Policy, the other files under <route>/assets/{file}, cacheable. A page whose
// file is missing is logged at startup and answers 503; the server starts all the same.
// The API that shows the page owns its PageAssets; the routes it registers point into it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"

namespace sre::api {

class PageAssets {
 public:
  struct File {
    std::string_view name;  // as requested: <route>/assets/<name>
    std::string_view path;  // relative to the web directory
    std::string_view content_type;
  };
  struct Page {
    std::string_view title;   // what the page is, for the log line and the 503: "SLO page"
    std::string_view route;   // "/slo"; the files are under "/slo/assets/"
    std::string_view policy;  // the page's Content-Security-Policy header
    std::string_view html;    // the page itself, relative to the web directory
    std::vector<File> assets;
  };

  // Reads every file of `page` from `web_dir` (default_web_dir() when empty).
  PageAssets(const Page& page, const std::string& web_dir);

  // GET <route> and GET <route>/assets/{file}, operational routes.
  void register_routes(http::Router& router);

 private:
  struct Asset {
    std::string content_type;
    std::string body;
  };

  http::asio::awaitable<http::Response> page(http::RequestContext& ctx) const;
  http::asio::awaitable<http::Response> asset(http::RequestContext& ctx) const;

  std::string title_;
  std::string route_;
  std::string policy_;
  std::optional<std::string> html_;  // nullopt: not installed
  std::map<std::string, Asset, std::less<>> assets_;
};

}  // namespace sre::api
