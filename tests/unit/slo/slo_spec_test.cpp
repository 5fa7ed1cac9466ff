// monitoring/slo.yaml's parser: what it accepts, and the one line it says about what it refuses.
#include "slo/slo_spec.h"

#include <gtest/gtest.h>

#include <string>

namespace sre::slo {
namespace {

std::string objective(const std::string& fields) {
  return "objectives:\n  - name: api-availability\n    title: API availability\n"
         "    description: not 5xx\n    alert: ApiBurn\n" +
         fields;
}

constexpr const char* kValidFields =
    "    target: 0.999\n    window: 30d\n    sli:\n"
    "      errors: http_requests_total{status=~\"5..\"}\n      total: http_requests_total\n";

TEST(ParseWindow, ReadsPrometheusDurationsInSeconds) {
  EXPECT_EQ(parse_window("5m")->seconds, 300);
  EXPECT_EQ(parse_window("1h")->seconds, 3600);
  EXPECT_EQ(parse_window("30d")->seconds, 30 * 86400);
  EXPECT_EQ(parse_window("4w")->seconds, 28 * 86400);
  EXPECT_EQ(parse_window("30d")->text, "30d");
  for (const char* bad : {"", "m", "5", "0m", "-5m", "5x", "1h30m", "1.5h"}) {
    EXPECT_FALSE(parse_window(bad)) << bad;
  }
}

TEST(ParseSloSpec, ReadsEveryField) {
  auto result = parse_slo_spec(objective(kValidFields));
  ASSERT_TRUE(result.spec) << result.error;
  ASSERT_EQ(result.spec->objectives.size(), 1U);
  const auto& o = result.spec->objectives[0];
  EXPECT_EQ(o.name, "api-availability");
  EXPECT_EQ(o.title, "API availability");
  EXPECT_EQ(o.alert, "ApiBurn");
  EXPECT_DOUBLE_EQ(o.target, 0.999);
  EXPECT_NEAR(o.error_budget(), 0.001, 1e-12);
  EXPECT_EQ(o.window.seconds, 30 * 86400);
  EXPECT_EQ(o.errors, "http_requests_total{status=~\"5..\"}");
  EXPECT_EQ(o.good, "");
  EXPECT_EQ(o.total, "http_requests_total");
}

TEST(ParseSloSpec, RefusesATargetOutsideZeroToOne) {
  for (const char* target : {"1", "1.5", "0", "-0.5", "99.9", "high"}) {
    std::string fields = kValidFields;
    fields.replace(fields.find("0.999"), 5, target);
    auto result = parse_slo_spec(objective(fields));
    EXPECT_FALSE(result.spec) << target;
    EXPECT_NE(result.error.find("`target`"), std::string::npos) << result.error;
  }
}

TEST(ParseSloSpec, NeedsExactlyOneOfErrorsAndGood) {
  const std::string both =
      "    target: 0.99\n    window: 30d\n    sli:\n"
      "      errors: a\n      good: b\n      total: c\n";
  const std::string neither = "    target: 0.99\n    window: 30d\n    sli:\n      total: c\n";
  for (const auto& fields : {both, neither}) {
    auto result = parse_slo_spec(objective(fields));
    EXPECT_FALSE(result.spec);
    EXPECT_EQ(result.error,
              "objectives[0] (api-availability).sli: give exactly one of `errors` and `good`");
  }
}

TEST(ParseSloSpec, NamesTheMissingFieldAndTheObjective) {
  auto result =
      parse_slo_spec(objective("    target: 0.99\n    sli:\n      good: a\n      total: b\n"));
  EXPECT_FALSE(result.spec);
  EXPECT_EQ(result.error,
            "objectives[0] (api-availability): `window` is required (a non-empty string)");
  result =
      parse_slo_spec(objective("    target: 0.99\n    window: 30d\n    sli:\n      good: a\n"));
  EXPECT_EQ(result.error,
            "objectives[0] (api-availability).sli: `total` is required (a non-empty string)");
  result = parse_slo_spec(objective(
      "    target: 0.99\n    window: a month\n    sli:\n      good: a\n      total: b\n"));
  EXPECT_NE(result.error.find("`window` must be a duration"), std::string::npos) << result.error;
}

TEST(ParseSloSpec, RefusesDuplicateNamesAndAlerts) {
  auto twice =
      objective(kValidFields) + objective(kValidFields).substr(std::string("objectives:\n").size());
  auto result = parse_slo_spec(twice);
  EXPECT_FALSE(result.spec);
  EXPECT_EQ(result.error, "objective name api-availability is used twice");
}

TEST(ParseSloSpec, RefusesEmptyAndBrokenFiles) {
  EXPECT_EQ(parse_slo_spec("").error, "`objectives` is required (a non-empty list)");
  EXPECT_EQ(parse_slo_spec("objectives: []").error, "`objectives` is required (a non-empty list)");
  EXPECT_NE(parse_slo_spec("objectives: [").error.find("not valid YAML"), std::string::npos);
}

}  // namespace
}  // namespace sre::slo
