#include <boost/url/params_view.hpp>
#include <boost/url/url_view.hpp>
#include <stdexcept>

#include "http/request_checks.h"
#include "http/router.h"
#include "http/types.h"

namespace sre::http {

const boost::urls::url_view& RequestContext::url() const {
  if (!parsed_url_.view) {
    parsed_url_.view = parse_request_target(request.method(), request.target());
    if (!parsed_url_.view) {
      // The connection answers 400 to a target it cannot parse: this one was never checked.
      throw std::logic_error("request target not checked before use");
    }
  }
  return *parsed_url_.view;
}

std::string_view RequestContext::encoded_path() const {
  const std::string_view target = request.target();
  if (target.starts_with('/')) {
    return target.substr(0, target.find('?'));
  }
  return url().encoded_path();  // absolute-form, or the empty path of "*"
}

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
  for (auto param : url().params()) {
    if (param.key == name) {
      last = std::move(param.value);
    }
  }
  return last;
}

std::vector<std::string> RequestContext::query_params(std::string_view name) const {
  std::vector<std::string> values;
  for (auto param : url().params()) {
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
