#include <boost/url/params_view.hpp>
#include <boost/url/url_view.hpp>

#include "http/router.h"
#include "http/types.h"

namespace sre::http {

std::string_view RequestContext::path_param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

// Not params().find_last(name): Boost.URL 1.81's misses a parameter whose value holds '='
// ("?skip=mit=5" had no skip), which query_string_fuzz found.
std::optional<std::string> RequestContext::query_param(std::string_view name) const {
  std::optional<std::string> last;
  for (auto param : url.params()) {
    if (param.key == name) {
      last = std::move(param.value);
    }
  }
  return last;
}

std::vector<std::string> RequestContext::query_params(std::string_view name) const {
  std::vector<std::string> values;
  for (auto param : url.params()) {
    if (param.key == name) {
      values.push_back(std::move(param.value));
    }
  }
  return values;
}

std::string_view RequestContext::actor() const {
  return authenticated_subject.empty() ? std::string_view("anonymous")
                                       : std::string_view(authenticated_subject);
}

std::string_view RequestContext::route_template() const {
  return route != nullptr ? std::string_view(route->path_template) : "unmatched";
}

}  // namespace sre::http
