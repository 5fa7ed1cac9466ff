#include "service/fault_rules.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http/router.h"
#include "service/chaos.h"

namespace sre::service {
namespace {

using http::RouteTag;

// What the grade service's PUT /admin/faults accepts.
FaultSchema grade_faults() {
  return {{"error_rate", "latency_ms", "latency_jitter_ms", "outage"}, 600'000};
}

std::optional<FaultFieldError> parse(std::string_view body, FaultFields& out,
                                     const FaultSchema& schema = grade_faults()) {
  return parse_fault_fields(boost::json::parse(body).as_object(), schema, out);
}

TEST(FaultFields, ReadsEveryFieldTheSchemaAccepts) {
  FaultFields fields;
  ASSERT_FALSE(parse(R"({"error_rate":0.25,"latency_ms":200,"latency_jitter_ms":50,"outage":true})",
                     fields));
  EXPECT_EQ(fields.error_rate, 0.25);
  EXPECT_EQ(fields.latency_ms, 200U);
  EXPECT_EQ(fields.latency_jitter_ms, 50U);
  EXPECT_EQ(fields.outage, true);
  EXPECT_FALSE(fields.route);
}

TEST(FaultFields, NamesTheFirstBadFieldAndWhy) {
  struct Case {
    const char* body;
    const char* field;
    const char* msg;
  };
  for (const Case& c : {
           Case{R"({"error_rate":1.5})", "error_rate", "error_rate must be a number in 0..1"},
           Case{R"({"error_rate":"0.5"})", "error_rate", "error_rate must be a number in 0..1"},
           Case{R"({"latency_ms":600001})", "latency_ms",
                "latency_ms must be an integer in 0..600000"},
           Case{R"({"latency_ms":1.5})", "latency_ms",
                "latency_ms must be an integer in 0..600000"},
           Case{R"({"latency_jitter_ms":-1})", "latency_jitter_ms",
                "latency_jitter_ms must be an integer in 0..600000"},
           Case{R"({"outage":1})", "outage", "outage must be true or false"},
           Case{R"({"route":"/x"})", "route",
                "unknown field; expected error_rate, latency_ms, latency_jitter_ms, outage"},
       }) {
    FaultFields fields;
    auto error = parse(c.body, fields);
    ASSERT_TRUE(error) << c.body;
    EXPECT_EQ(error->field, c.field) << c.body;
    EXPECT_EQ(error->msg, c.msg) << c.body;
  }
}

TEST(FaultFields, EachEndpointHasItsOwnLatencyBound) {
  const FaultSchema chaos{{"route", "latency_ms"}, 60'000};
  FaultFields fields;
  EXPECT_FALSE(parse(R"({"latency_ms":60000})", fields, chaos));
  auto error = parse(R"({"latency_ms":60001})", fields, chaos);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->msg, "latency_ms must be an integer in 0..60000");
}

TEST(FaultRates, RoundTripThroughPartsPerMillion) {
  EXPECT_EQ(rate_to_ppm(0.5), 500'000U);
  EXPECT_DOUBLE_EQ(ppm_to_rate(rate_to_ppm(0.125)), 0.125);
  EXPECT_FALSE(fault_strikes(0));
  EXPECT_TRUE(fault_strikes(1'000'000));
  EXPECT_EQ(random_jitter(0).count(), 0);
  EXPECT_LE(random_jitter(5).count(), 5);
}

class ChaosRulesTest : public ::testing::Test {
 protected:
  ChaosRulesTest() {
    auto noop = [](http::RequestContext& ctx) -> http::asio::awaitable<http::Response> {
      co_return http::Response{http::Status::ok, ctx.request.version()};
    };
    router.add(http::Verb::get, "/health/live", RouteTag::liveness, noop);
    router.add(http::Verb::get, "/health/ready", RouteTag::readiness, noop);
    router.add(http::Verb::get, "/metrics", RouteTag::metrics, noop);
    router.add(http::Verb::get, "/docs", RouteTag::operational, noop);
    router.add(http::Verb::get, "/api/v1/admin/chaos", RouteTag::admin, noop);
    router.add(http::Verb::get, "/api/v1/students", RouteTag::public_api, noop);
  }

  std::variant<std::vector<ChaosRule>, core::FieldError> parse_rules(std::string_view body) {
    return parse_chaos_rules(boost::json::parse(body).as_object(), router);
  }
  std::string error_of(std::string_view body) {
    auto result = parse_rules(body);
    if (auto* error = std::get_if<core::FieldError>(&result)) {
      return boost::json::serialize(error->loc) + " " + error->msg;
    }
    return "";
  }

  http::Router router;
};

TEST_F(ChaosRulesTest, TargetsPublicOperationalAndReadinessRoutes) {
  auto result =
      parse_rules(R"({"rules":[{"route":"/api/v1/students","latency_ms":300,"error_rate":0.5,)"
                  R"("error_status":502,"duration_seconds":120},{"route":"/health/ready"},)"
                  R"({"route":"/docs"}]})");
  ASSERT_TRUE(std::holds_alternative<std::vector<ChaosRule>>(result)) << error_of("{}");
  const auto& rules = std::get<std::vector<ChaosRule>>(result);
  ASSERT_EQ(rules.size(), 3U);
  EXPECT_EQ(rules[0].latency_ms, 300U);
  EXPECT_EQ(rules[0].error_status, 502);
  EXPECT_EQ(rules[0].duration, std::chrono::seconds(120));
  EXPECT_EQ(rules[1].route, "/health/ready");
  EXPECT_EQ(rules[1].error_status, 503);  // the defaults
  EXPECT_EQ(rules[1].duration, std::chrono::seconds(60));
}

TEST_F(ChaosRulesTest, NeverTargetsLivenessMetricsOrAdmin) {
  for (const char* route : {"/health/live", "/metrics", "/api/v1/admin/chaos"}) {
    EXPECT_EQ(error_of(std::string(R"({"rules":[{"route":")") + route + R"("}]})"),
              R"(["body","rules",0,"route"] liveness, metrics and admin routes cannot be targeted)")
        << route;
  }
  EXPECT_TRUE(ChaosState::targetable(RouteTag::readiness));
  EXPECT_FALSE(ChaosState::targetable(RouteTag::liveness));
}

TEST_F(ChaosRulesTest, SaysWhichRuleAndFieldIsWrong) {
  EXPECT_EQ(error_of(R"({"rules":[{"route":"/docs"},{"route":"/nope"}]})"),
            R"(["body","rules",1,"route"] not a route template of this API (see /openapi.json))");
  EXPECT_EQ(error_of(R"({"rules":[{"latency_ms":5}]})"),
            R"(["body","rules",0,"route"] route is required)");
  EXPECT_EQ(error_of(R"({"rules":[{"route":"/docs","outage":true}]})"),
            R"(["body","rules",0,"outage"] unknown field; expected route, latency_ms, )"
            R"(error_rate, error_status, duration_seconds)");
  EXPECT_EQ(error_of(R"({"rules":[7]})"), R"(["body","rules"] each rule must be an object)");
  EXPECT_EQ(error_of(R"({"rules":{}})"),
            R"(["body","rules"] body must be {"rules": [...]} (an empty list ends every rule))");
}

}  // namespace
}  // namespace sre::service
