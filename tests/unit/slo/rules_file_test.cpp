// The rules rendered from objectives: record names, windows, thresholds, labels and the runbook
// link. promtool checks the committed file and tests the alerts' behaviour (tests/e2e).
#include "slo/rules_file.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace sre::slo {
namespace {

Objective availability() {
  Objective o;
  o.name = "api-availability";
  o.title = "API availability";
  o.description = "not 5xx";
  o.target = 0.999;
  o.window = *parse_window("30d");
  o.alert = "ApiBurn";
  o.errors = "e{x=\"1\"}";
  o.total = "t";
  return o;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(RenderRules, RecordsTheErrorRatioOverEveryAlertWindowAndTheObjectivesWindow) {
  const auto rules = render_rules({{availability()}});
  for (const char* window : {"5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"}) {
    const auto record = "- record: " + error_ratio_record(window) + "\n";
    EXPECT_EQ(count(rules, record), 1U) << window;
    EXPECT_NE(rules.find(std::string("sum by (job) (rate(e{x=\"1\"}[") + window + "]))"),
              std::string::npos)
        << window;
  }
  EXPECT_EQ(error_ratio_record("5m"), "job_slo:sli_errors_per_events:ratio_rate5m");
  EXPECT_EQ(count(rules, "        labels:\n          slo: api-availability\n"), 8U);
}

TEST(RenderRules, ATimeScaleCompressesTheRangesAndKeepsTheNames) {
  EXPECT_EQ(scaled_range("1h", 1.0), "1h");
  EXPECT_EQ(scaled_range("1h", 0.01), "36s");
  EXPECT_EQ(scaled_range("5m", 0.01), "3s");
  EXPECT_EQ(scaled_range("30d", 0.01), "25920s");
  EXPECT_EQ(scaled_range("5m", 0.005), "1500ms");
  EXPECT_EQ(scaled_range("5m", 0.0001), "1s");  // a rate needs two scrapes: never below 1 s

  const auto rules = render_rules({{availability()}}, 0.01);
  for (const auto& [window, range] : {std::pair{"5m", "3s"}, std::pair{"1h", "36s"},
                                      std::pair{"3d", "2592s"}, std::pair{"30d", "25920s"}}) {
    EXPECT_EQ(count(rules, "- record: " + error_ratio_record(window) + "\n"), 1U) << window;
    EXPECT_NE(rules.find(std::string("sum by (job) (rate(t[") + range + "]))"), std::string::npos)
        << window;
  }
  EXPECT_EQ(rules.find("[1h]"), std::string::npos);
  // The alerts read the same recorded names: routing and dashboards do not change.
  EXPECT_NE(rules.find(error_ratio_record("1h") + "{slo=\"api-availability\"} > (14.4 * 0.001)"),
            std::string::npos);
  EXPECT_NE(rules.find("# TIME SCALE 0.01"), std::string::npos);
  EXPECT_EQ(render_rules({{availability()}}).find("TIME SCALE"), std::string::npos);
}

TEST(RenderRules, AnErrorsSliIsZeroNotMissingWithoutErrors) {
  const auto rules = render_rules({{availability()}});
  EXPECT_NE(rules.find("          (\n"
                       "            sum by (job) (rate(e{x=\"1\"}[5m]))\n"
                       "            or\n"
                       "            0 * sum by (job) (rate(t[5m]))\n"
                       "          )\n"
                       "          /\n"
                       "          sum by (job) (rate(t[5m]))\n"),
            std::string::npos)
      << rules;
}

TEST(RenderRules, AGoodSliIsOneMinusTheGoodRatio) {
  auto latency = availability();
  latency.errors.clear();
  latency.good = "g";
  const auto rules = render_rules({{latency}});
  EXPECT_NE(rules.find("          1 - (\n"
                       "            (\n"
                       "              sum by (job) (rate(g[1h]))\n"
                       "              or\n"
                       "              0 * sum by (job) (rate(t[1h]))\n"
                       "            )\n"
                       "            /\n"
                       "            sum by (job) (rate(t[1h]))\n"
                       "          )\n"),
            std::string::npos)
      << rules;
}

TEST(RenderRules, FourBurnRateAlertsWithTheirWindowsThresholdsAndLabels) {
  const auto rules = render_rules({{availability()}});
  EXPECT_EQ(count(rules, "      - alert: ApiBurn\n"), 4U);
  struct Expected {
    const char* long_window;
    const char* short_window;
    const char* threshold;
    const char* severity;
    const char* spent_in;
  };
  for (const auto& e : {Expected{"1h", "5m", "(14.4 * 0.001)", "page", "2d 2h"},
                        Expected{"6h", "30m", "(6 * 0.001)", "page", "5d"},
                        Expected{"1d", "2h", "(3 * 0.001)", "ticket", "10d"},
                        Expected{"3d", "6h", "(1 * 0.001)", "ticket", "30d"}}) {
    const auto expr = "          " + error_ratio_record(e.long_window) +
                      "{slo=\"api-availability\"} > " + e.threshold +
                      "\n          and\n          " + error_ratio_record(e.short_window) +
                      "{slo=\"api-availability\"} > " + e.threshold + "\n";
    const auto at = rules.find(expr);
    ASSERT_NE(at, std::string::npos) << expr << rules;
    const auto labels =
        std::string("        labels:\n          severity: ") + e.severity +
        "\n          slo: api-availability\n          long_window: " + e.long_window +
        "\n          short_window: " + e.short_window + "\n";
    EXPECT_EQ(rules.find(labels, at), at + expr.size()) << labels;
    const auto spent = std::string("is spent in ") + e.spent_in + ".\"";
    EXPECT_NE(rules.find(spent, at), std::string::npos) << spent;
  }
  EXPECT_EQ(count(rules, "          runbook_url: docs/runbooks/ApiBurn.md\n"), 4U);
  EXPECT_NE(rules.find("summary: \"API availability: error budget burning at 14.4x over 1h "
                       "and 5m\""),
            std::string::npos);
}

}  // namespace
}  // namespace sre::slo
