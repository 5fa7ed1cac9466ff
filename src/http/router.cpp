#include "http/router.h"

#include <stdexcept>

#include "http/path_segments.h"

namespace sre::http {
namespace {

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string> split_template(std::string_view path) {
  SegmentViews segments;
  split_path(path, segments);
  return {segments.begin(), segments.end()};
}

}  // namespace

void Router::add(Verb method, std::string_view path_template, RouteTag tag, Handler handler) {
  if (path_template.empty() || path_template.front() != '/') {
    throw std::invalid_argument("route template must start with '/': " +
                                std::string(path_template));
  }
  for (auto& route : routes_) {
    if (route.path_template == path_template) {
      if (route.tag != tag) {
        throw std::invalid_argument("route registered with two tags: " +
                                    std::string(path_template));
      }
      route.handlers[method] = std::move(handler);
      return;
    }
  }
  Route route;
  route.id = routes_.size() + 1;
  route.path_template = std::string(path_template);
  route.tag = tag;
  route.segments = split_template(path_template);
  route.handlers[method] = std::move(handler);
  const std::size_t length = route.segments.size();
  routes_.push_back(std::move(route));
  if (routes_by_length_.size() <= length) {
    routes_by_length_.resize(length + 1);
  }
  routes_by_length_[length].push_back(routes_.size() - 1);
}

RouteMatch Router::match(Verb method, std::span<const std::string_view> segments) const {
  const Route* best = nullptr;
  std::size_t best_literals = 0;
  if (segments.size() >= routes_by_length_.size()) {
    return {};  // longer than every template
  }
  for (const std::size_t index : routes_by_length_[segments.size()]) {
    const Route& route = routes_[index];
    std::size_t literals = 0;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      if (is_parameter(route.segments[i])) {
        matches = !segments[i].empty();
      } else {
        matches = route.segments[i] == segments[i];
        ++literals;
      }
    }
    if (matches && (best == nullptr || literals > best_literals)) {
      best = &route;
      best_literals = literals;
    }
  }

  RouteMatch result;
  if (best == nullptr) {
    return result;
  }
  result.route = best;
  auto handler = best->handlers.find(method);
  if (handler == best->handlers.end() && method == Verb::head) {
    handler = best->handlers.find(Verb::get);  // HEAD is GET without the body (RFC 9110 9.3.2)
  }
  if (handler == best->handlers.end()) {
    result.kind = MatchKind::method_not_allowed;
    return result;
  }
  result.kind = MatchKind::found;
  result.handler = &handler->second;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& segment = best->segments[i];
    if (is_parameter(segment)) {
      std::string_view name(segment);
      result.params.emplace_back(name.substr(1, name.size() - 2), segments[i]);
    }
  }
  return result;
}

std::string allow_header(const Route& route) {
  std::string allow;
  auto append = [&allow](Verb verb) {
    if (!allow.empty()) {
      allow += ", ";
    }
    allow += std::string(beast_http::to_string(verb));
  };
  for (const auto& [verb, handler] : route.handlers) {
    append(verb);
    if (verb == Verb::get && !route.handlers.contains(Verb::head)) {
      append(Verb::head);
    }
  }
  if (!route.handlers.contains(Verb::options)) {
    append(Verb::options);
  }
  return allow;
}

}  // namespace sre::http
