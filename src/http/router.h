// Maps method + path template ("/api/v1/students/{student_id}") to handlers.
//
// Templates are split into segments once, at registration; matching compares segments, so
// there are no regular expressions on the request path. When several templates match, the
// one with more literal segments wins (/students/search beats /students/{id}).
//
// Every route is registered with a tag saying what kind of endpoint it is. Policies that treat
// endpoints differently (load shedding, chaos, rate-limit exemptions, auth) read the tag instead of
// keeping their own lists of paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.h"

namespace sre::http {

enum class RouteTag : std::uint8_t {
  public_api,  // what the service is for (/api/v1/students, /grades/{id})
  admin,       // the operator's controls (/api/v1/admin/*, /admin/*)
  login,       // POST /auth/token: where a client gets its token, so it never needs one
  // Operational endpoints, for the people and machines that run the service:
  operational,    // docs, the OpenAPI document, the service root
  health_report,  // /health: the dependency report that uptime monitors poll
  liveness,       // /health/live: restart me if this fails
  readiness,      // /health/ready: send me traffic only while this succeeds
  metrics,        // /metrics: what Prometheus scrapes
};

struct Route {
  std::size_t id = 0;  // dense index, 1-based; 0 is reserved for "unmatched"
  std::string path_template;
  RouteTag tag = RouteTag::public_api;
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
  // Registers `handler` for `method` on `path_template`, a route of kind `tag`. Templates must
  // start with '/'; every method of a template must give it the same tag.
  void add(Verb method, std::string_view path_template, RouteTag tag, Handler handler);

  // `segments` are the decoded path segments of the request target. HEAD runs the GET
  // handler when the route has no HEAD handler of its own.
  RouteMatch match(Verb method, std::span<const std::string_view> segments) const;

  // All routes in registration order (for metrics labels and the OpenAPI check).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  // Indexes into routes_ by the number of segments of their template: a path is compared only
  // with the templates as long as it is.
  std::vector<std::vector<std::size_t>> routes_by_length_;
};

// The methods a route serves, for the Allow header of a 405 or an OPTIONS answer:
// "GET, HEAD, POST, OPTIONS" (HEAD wherever GET is served, OPTIONS everywhere).
std::string allow_header(const Route& route);

}  // namespace sre::http
