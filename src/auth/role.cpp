#include "auth/role.h"

namespace sre::auth {

std::optional<Role> parse_role(std::string_view text) {
  if (text == "reader") {
    return Role::reader;
  }
  if (text == "staff") {
    return Role::staff;
  }
  if (text == "admin") {
    return Role::admin;
  }
  return std::nullopt;
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::reader:
      return "reader";
    case Role::staff:
      return "staff";
    case Role::admin:
      return "admin";
  }
  return "unknown";
}

std::string_view role_names() {
  return "reader, staff, admin";
}

Access required_access(http::RouteTag tag, http::Verb method) {
  switch (tag) {
    case http::RouteTag::admin:
      return {Role::admin, true};
    case http::RouteTag::public_api:
      switch (method) {
        case http::Verb::get:
        case http::Verb::head:
          return {Role::reader, false};
        case http::Verb::delete_:
          return {Role::admin, false};
        default:
          return {Role::staff, false};
      }
    case http::RouteTag::login:
    case http::RouteTag::operational:
    case http::RouteTag::health_report:
    case http::RouteTag::liveness:
    case http::RouteTag::readiness:
    case http::RouteTag::metrics:
      return {};
  }
  return {Role::admin, true};  // an unknown tag: the strictest answer
}

}  // namespace sre::auth
