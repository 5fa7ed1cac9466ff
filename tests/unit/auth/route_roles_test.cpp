// Each role against each route, read from the API's own router: a route added without a
// decision here fails the test, so none can be left open by mistake.
#include <gtest/gtest.h>

#include <map>

#include "api/app.h"
#include "api/unused_event_store.h"
#include "auth/role.h"
#include "students/fake_student_store.h"

namespace sre::auth {
namespace {

// What the issue asks, route by route: the least role that may call it (none: anyone).
enum class Needs { anyone, reader, staff, admin };
const std::map<std::string, Needs>& expected() {
  static const std::map<std::string, Needs> table{
      {"GET /", Needs::anyone},
      {"GET /health", Needs::anyone},
      {"GET /health/live", Needs::anyone},
      {"GET /health/ready", Needs::anyone},
      {"GET /metrics", Needs::anyone},
      {"GET /openapi.json", Needs::anyone},
      {"GET /docs", Needs::anyone},
      {"GET /docs/assets/{file}", Needs::anyone},
      {"GET /slo", Needs::anyone},
      {"GET /slo/assets/{file}", Needs::anyone},
      {"GET /api/v1/slo", Needs::anyone},
      {"GET /api/v1/slo/history", Needs::anyone},
      {"POST /auth/token", Needs::anyone},
      {"GET /api/v1/students", Needs::reader},
      {"POST /api/v1/students", Needs::staff},
      {"GET /api/v1/students/{student_id}", Needs::reader},
      {"PUT /api/v1/students/{student_id}", Needs::staff},
      {"PATCH /api/v1/students/{student_id}", Needs::staff},
      {"DELETE /api/v1/students/{student_id}", Needs::admin},
      {"GET /api/v1/students/{student_id}/grades", Needs::reader},
      {"GET /api/v1/students/{student_id}/audit", Needs::reader},
      {"GET /api/v1/stats/grades", Needs::reader},
      {"GET /api/v1/admin/circuit-breakers", Needs::admin},
      {"POST /api/v1/admin/circuit-breakers/{name}/reset", Needs::admin},
      {"GET /api/v1/admin/chaos", Needs::admin},
      {"PUT /api/v1/admin/chaos", Needs::admin},
  };
  return table;
}

Needs needs_of(const Access& access) {
  if (!access.role) {
    return Needs::anyone;
  }
  switch (*access.role) {
    case Role::reader:
      return Needs::reader;
    case Role::staff:
      return Needs::staff;
    case Role::admin:
      return Needs::admin;
  }
  return Needs::admin;
}

TEST(RouteRoles, EveryRouteOfTheApiNeedsTheRoleTheIssueGivesIt) {
  api::ServeConfig config;
  config.api.web_dir = "/nonexistent";
  sre::testing::FakeStudentStore store;  // routes are registered, never called
  api::testing::UnusedEventStore events;
  api::Lifecycle lifecycle;
  const auto codec = TokenCodec::hs256("a secret only this test uses", {});
  api::App app(config, store, events, lifecycle, 1, codec, Users{});

  std::size_t checked = 0;
  for (const auto& route : app.router().routes()) {
    for (const auto& [verb, handler] : route.handlers) {
      const std::string key =
          std::string(http::beast_http::to_string(verb)) + " " + route.path_template;
      const auto wanted = expected().find(key);
      ASSERT_NE(wanted, expected().end()) << key << ": a new route; decide who may call it";
      const Access access = required_access(route.tag, verb);
      EXPECT_EQ(needs_of(access), wanted->second) << key;
      // The admin routes need their token in every environment, and only they.
      EXPECT_EQ(access.always, wanted->second == Needs::admin && route.tag == http::RouteTag::admin)
          << key;
      for (Role role : {Role::reader, Role::staff, Role::admin}) {
        const bool may = !access.role || may_act_as(role, *access.role);
        const bool should = wanted->second == Needs::anyone ||
                            static_cast<int>(role) >= static_cast<int>(wanted->second);
        EXPECT_EQ(may, should) << to_string(role) << " on " << key;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, expected().size()) << "the table lists routes the router does not serve";
}

TEST(RouteRoles, RoleNamesRoundTrip) {
  for (Role role : {Role::reader, Role::staff, Role::admin}) {
    EXPECT_EQ(parse_role(to_string(role)), role);
  }
  EXPECT_FALSE(parse_role("root"));
  EXPECT_FALSE(parse_role("Admin"));
}

}  // namespace
}  // namespace sre::auth
