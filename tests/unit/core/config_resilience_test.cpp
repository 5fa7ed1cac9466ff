// Settings of the grade service client, the breaker, load shedding, and the grade-service
// subcommand.
#include <gtest/gtest.h>

#include "core/config.h"

namespace sre::core {
namespace {

TEST(ResilienceConfig, DefaultsAreTheIssuesAndTheSeeds) {
  auto result = build_config({});
  ASSERT_TRUE(result.config) << result.error;
  EXPECT_EQ(result.config->grade_timeout_ms, 500);
  EXPECT_EQ(result.config->circuit_breaker_failure_threshold, 3);
  EXPECT_EQ(result.config->circuit_breaker_open_seconds, 60);
  EXPECT_DOUBLE_EQ(result.config->grade_retry_budget_ratio, 0.1);
}

TEST(ResilienceConfig, RefusesBadValuesNamingTheSetting) {
  for (const auto& [env, value] :
       std::vector<std::pair<std::string, std::string>>{{"GRADE_SERVICE_URL", "https://x:8001"},
                                                        {"GRADE_SERVICE_URL", "127.0.0.1:8001"},
                                                        {"GRADE_SERVICE_URL", "http://:8001"},
                                                        {"GRADE_SERVICE_URL", "http://h:0"},
                                                        {"GRADE_SERVICE_URL", "http://h:8001/?q=1"},
                                                        {"GRADE_TIMEOUT_MS", "0"},
                                                        {"GRADE_MAX_ATTEMPTS", "11"},
                                                        {"GRADE_RETRY_BUDGET_RATIO", "1.5"},
                                                        {"CIRCUIT_BREAKER_FAILURE_RATE", "0"},
                                                        {"CIRCUIT_BREAKER_WINDOW", "33"},
                                                        {"CIRCUIT_BREAKER_OPEN_SECONDS", "0"},
                                                        {"MAX_IN_FLIGHT", "-1"},
                                                        {"MAX_QUEUE_DELAY_MS", "x"}}) {
    auto result = build_config({{env, value}});
    EXPECT_FALSE(result.config) << env << "=" << value;
    EXPECT_NE(result.error.find(env), std::string::npos) << result.error;
  }
  auto ok = build_config({{"GRADE_SERVICE_URL", "http://grades.internal:8001/v1/"}});
  EXPECT_TRUE(ok.config) << ok.error;
}

TEST(GradeServiceConfig, DefaultsToPort8001AndKnowsOnlyItsSettings) {
  auto result = build_config({}, grade_service_settings(), grade_service_defaults());
  ASSERT_TRUE(result.config) << result.error;
  EXPECT_EQ(result.config->port, 8001);
  EXPECT_DOUBLE_EQ(result.config->grade_error_rate, 0.3);

  auto faults = build_config({{"GRADE_ERROR_RATE", "1"}, {"GRADE_LATENCY_MS", "2000"}},
                             grade_service_settings(), grade_service_defaults());
  ASSERT_TRUE(faults.config) << faults.error;
  EXPECT_DOUBLE_EQ(faults.config->grade_error_rate, 1.0);
  EXPECT_EQ(faults.config->grade_latency_ms, 2000);

  EXPECT_FALSE(build_config({{"GRADE_ERROR_RATE", "1.1"}}, grade_service_settings(),
                            grade_service_defaults())
                   .config);
  for (const auto& setting : grade_service_settings()) {
    EXPECT_NE(setting.env, "DATABASE_URL");
  }
}

}  // namespace
}  // namespace sre::core
