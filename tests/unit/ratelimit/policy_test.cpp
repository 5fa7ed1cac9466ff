#include "ratelimit/policy.h"

#include <gtest/gtest.h>

#include "ratelimit/rate_limit_middleware.h"

namespace sre::ratelimit {
namespace {

PolicyTable parse_ok(std::string_view text) {
  auto parsed = parse_policies(text);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << *error;
    return {};
  }
  return std::get<PolicyTable>(parsed);
}

TEST(Policy, DefaultsAreTheSeeds) {
  auto table = parse_ok(kDefaultRateLimits);
  const Policy* create = table.match("POST", "/api/v1/students");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->name, "POST /api/v1/students");
  EXPECT_EQ(create->rate.limit, 10);
  EXPECT_EQ(create->rate.window, std::chrono::seconds(60));
  EXPECT_EQ(create->rate.burst, 15);

  const Policy* list = table.match("GET", "/api/v1/students");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->name, "default");
  EXPECT_EQ(list->rate.limit, 100);
  EXPECT_EQ(list->rate.burst, 110);

  const Policy* token = table.match("POST", "/auth/token");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->rate.limit, 5);
  EXPECT_EQ(token->rate.burst, 5);

  // Probes and metrics need no rule: their route tags exempt them (RateLimitMiddleware).
  EXPECT_EQ(table.match("GET", "/health/live")->name, "default");
  EXPECT_EQ(table.match("GET", "unmatched")->name, "default") << "scanners are limited too";
}

TEST(NeverRateLimited, ProbesHealthReportAndMetricsOnly) {
  EXPECT_TRUE(never_rate_limited(http::RouteTag::liveness));
  EXPECT_TRUE(never_rate_limited(http::RouteTag::readiness));
  EXPECT_TRUE(never_rate_limited(http::RouteTag::health_report));
  EXPECT_FALSE(never_rate_limited(http::RouteTag::metrics));      // its own built-in limit
  EXPECT_FALSE(never_rate_limited(http::RouteTag::operational));  // docs, the service root
  EXPECT_FALSE(never_rate_limited(http::RouteTag::admin));
  EXPECT_FALSE(never_rate_limited(http::RouteTag::public_api));
}

TEST(Policy, MostSpecificRuleWinsWhateverTheOrder) {
  auto table =
      parse_ok("POST /api/v1/students 1/s; /api* 2/s; * 3/s; /api/v1/students 4/s; /api/v1* 5/s");
  EXPECT_EQ(table.match("POST", "/api/v1/students")->rate.limit, 1);
  EXPECT_EQ(table.match("GET", "/api/v1/students")->rate.limit, 4);
  EXPECT_EQ(table.match("GET", "/api/v1/students/{student_id}")->rate.limit, 5);
  EXPECT_EQ(table.match("GET", "/api/v2")->rate.limit, 2);
  EXPECT_EQ(table.match("GET", "/")->rate.limit, 3);
}

TEST(Policy, UnitsBurstAndNoMatch) {
  auto table = parse_ok("GET /a 7/h; /b 2/s burst 9;");
  EXPECT_EQ(table.match("GET", "/a")->rate.window, std::chrono::seconds(3600));
  EXPECT_EQ(table.match("GET", "/a")->rate.burst, 7) << "burst defaults to the limit";
  EXPECT_EQ(table.match("PUT", "/b")->rate.burst, 9);
  EXPECT_EQ(table.match("PUT", "/a"), nullptr);
  EXPECT_TRUE(parse_ok("").policies().empty());
}

TEST(Policy, DescribeRoundTrips) {
  auto table = parse_ok(kDefaultRateLimits);
  auto again = parse_ok(table.describe());
  EXPECT_EQ(again.describe(), table.describe());
}

class InvalidPolicy : public testing::TestWithParam<const char*> {};

TEST_P(InvalidPolicy, IsRefusedWithOneLine) {
  auto parsed = parse_policies(GetParam());
  ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << GetParam();
  const auto& error = std::get<std::string>(parsed);
  EXPECT_NE(error.find("rule"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(Policy, InvalidPolicy,
                         testing::Values("students 10/min", "/a 10/minutes", "/a 0/min",
                                         "/a ten/min", "/a 10", "/a 10/min burst",
                                         "/a 10/min burst 0", "/a 10/min extra", "/a exempt now",
                                         "/a", "FETCH /a 1/s", "/a 1/s; /a 2/s",
                                         "/a 1/h burst 1000000"));

}  // namespace
}  // namespace sre::ratelimit
