#include "http/router.h"

#include <gtest/gtest.h>

namespace sre::http {
namespace {

Handler noop() {
  return [](RequestContext&) -> asio::awaitable<Response> { co_return Response{}; };
}

std::vector<std::string_view> split(std::initializer_list<const char*> parts) {
  return {parts.begin(), parts.end()};
}

class RouterTest : public testing::Test {
 protected:
  void SetUp() override {
    router.add(Verb::get, "/", RouteTag::public_api, noop());
    router.add(Verb::get, "/api/v1/students", RouteTag::public_api, noop());
    router.add(Verb::post, "/api/v1/students", RouteTag::public_api, noop());
    router.add(Verb::get, "/api/v1/students/{student_id}", RouteTag::public_api, noop());
    router.add(Verb::delete_, "/api/v1/students/{student_id}", RouteTag::public_api, noop());
    router.add(Verb::get, "/api/v1/students/search", RouteTag::public_api, noop());
  }
  Router router;
};

TEST_F(RouterTest, MatchesTheRoot) {
  auto match = router.match(Verb::get, {});
  ASSERT_EQ(match.kind, MatchKind::found);
  EXPECT_EQ(match.route->path_template, "/");
}

TEST_F(RouterTest, CapturesParameters) {
  auto match = router.match(Verb::get, split({"api", "v1", "students", "STU-1234ABCD"}));
  ASSERT_EQ(match.kind, MatchKind::found);
  EXPECT_EQ(match.route->path_template, "/api/v1/students/{student_id}");
  ASSERT_EQ(match.params.size(), 1U);
  EXPECT_EQ(match.params[0].first, "student_id");
  EXPECT_EQ(match.params[0].second, "STU-1234ABCD");
}

TEST_F(RouterTest, LiteralSegmentsWinOverParameters) {
  auto match = router.match(Verb::get, split({"api", "v1", "students", "search"}));
  ASSERT_EQ(match.kind, MatchKind::found);
  EXPECT_EQ(match.route->path_template, "/api/v1/students/search");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router.match(Verb::get, split({"api", "v2"})).kind, MatchKind::not_found);
  EXPECT_EQ(router.match(Verb::get, split({"api", "v1", "students", "x", "y"})).kind,
            MatchKind::not_found);
  // An empty segment never fills a parameter: /api/v1/students/ is not /students/{id}.
  EXPECT_EQ(router.match(Verb::get, split({"api", "v1", "students", ""})).kind,
            MatchKind::not_found);
}

TEST_F(RouterTest, WrongMethodListsTheAllowedOnes) {
  auto match = router.match(Verb::put, split({"api", "v1", "students"}));
  EXPECT_EQ(match.kind, MatchKind::method_not_allowed);
  EXPECT_EQ(allow_header(*match.route), "GET, HEAD, POST, OPTIONS");
  auto item = router.match(Verb::post, split({"api", "v1", "students", "STU-1"}));
  EXPECT_EQ(item.kind, MatchKind::method_not_allowed);
  EXPECT_EQ(allow_header(*item.route), "DELETE, GET, HEAD, OPTIONS");
}

TEST_F(RouterTest, HeadRunsTheGetHandler) {
  auto match = router.match(Verb::head, split({"api", "v1", "students"}));
  ASSERT_EQ(match.kind, MatchKind::found);
  EXPECT_EQ(match.handler, &match.route->handlers.at(Verb::get));
}

TEST_F(RouterTest, HeadIsNotAllowedWhereGetIsNot) {
  router.add(Verb::post, "/only-post", RouteTag::public_api, noop());
  auto match = router.match(Verb::head, split({"only-post"}));
  EXPECT_EQ(match.kind, MatchKind::method_not_allowed);
  EXPECT_EQ(allow_header(*match.route), "POST, OPTIONS");
}

TEST_F(RouterTest, RouteIdsAreDenseAndStartAtOne) {
  const auto& routes = router.routes();
  for (std::size_t i = 0; i < routes.size(); ++i) {
    EXPECT_EQ(routes[i].id, i + 1);
  }
}

TEST(Router, RefusesTemplatesWithoutLeadingSlash) {
  Router router;
  EXPECT_THROW(router.add(Verb::get, "api", RouteTag::public_api, noop()), std::invalid_argument);
}

TEST(Router, KeepsEachRoutesTagAndRefusesASecondTag) {
  Router router;
  router.add(Verb::get, "/health/live", RouteTag::liveness, noop());
  router.add(Verb::head, "/health/live", RouteTag::liveness, noop());
  router.add(Verb::put, "/admin/faults", RouteTag::admin, noop());
  ASSERT_EQ(router.routes().size(), 2U);
  EXPECT_EQ(router.routes()[0].tag, RouteTag::liveness);
  EXPECT_EQ(router.routes()[1].tag, RouteTag::admin);
  EXPECT_THROW(router.add(Verb::get, "/admin/faults", RouteTag::public_api, noop()),
               std::invalid_argument);
}

}  // namespace
}  // namespace sre::http
