// Maps method + path template ("/api/v1/students/{student_id}") to handlers.
//
// Templates are split into segments once, at registration; matching compares segments, so
// there are no regular expressions on the request path. When several templates match, the
// one with more literal segments wins (/students/search beats /students/{id}).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.h"

namespace sre::http {

struct Route {
  std::size_t id = 0;  // dense index, 1-based; 0 is reserved for "unmatched"
  std::string path_template;
  std::vector<std::string> segments;  // "{name}" marks a parameter
  std::map<Verb, Handler> handlers;
};

enum class MatchKind { found, not_found, method_not_allowed };

struct RouteMatch {
  MatchKind kind = MatchKind::not_found;
  const Route* route = nullptr;      // set unless not_found
  const Handler* handler = nullptr;  // set when found
  std::vector<std::pair<std::string_view, std::string>> params;
};

class Router {
 public:
  // Registers `handler` for `method` on `path_template`. Templates must start with '/'.
  void add(Verb method, std::string_view path_template, Handler handler);

  // `segments` are the decoded path segments of the request target.
  RouteMatch match(Verb method, const std::vector<std::string>& segments) const;

  // All routes in registration order (for metrics labels and the OpenAPI check).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The methods a route serves, for the Allow header of a 405: "GET, POST".
std::string allow_header(const Route& route);

}  // namespace sre::http
