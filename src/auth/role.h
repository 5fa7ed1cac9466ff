// Roles and what each route asks of the caller. Roles are ordered: each may do what the one
// below it may, and more.
//
//   reader  GET students, grades (and every other read of the public API)
//   staff   also create and update (POST, PUT, PATCH)
//   admin   also delete, and every route tagged admin (chaos, circuit breakers)
//
// The requirement is read from the route's tag and the request method, never from a list of
// paths, so a new route is covered the moment it is registered.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "http/router.h"
#include "http/types.h"

namespace sre::auth {

enum class Role : std::uint8_t { reader = 1, staff = 2, admin = 3 };

std::optional<Role> parse_role(std::string_view text);
std::string_view to_string(Role role);
// "reader, staff, admin": for help texts and error messages.
std::string_view role_names();

inline bool may_act_as(Role held, Role needed) {
  return held >= needed;
}

struct Access {
  // The role a caller needs; nullopt: anyone, no token needed (health, metrics, docs, login).
  std::optional<Role> role;
  // Required even when AUTH_REQUIRED is false (the admin routes, in every environment).
  bool always = false;
};

Access required_access(http::RouteTag tag, http::Verb method);

}  // namespace sre::auth
