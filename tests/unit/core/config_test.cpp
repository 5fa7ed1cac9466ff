#include "core/config.h"

#include <gtest/gtest.h>

namespace sre::core {
namespace {

TEST(BuildConfig, DefaultsWhenNothingIsSet) {
  auto result = build_config({});
  ASSERT_TRUE(result.config) << result.error;
  EXPECT_EQ(result.config->port, 8000);
  EXPECT_EQ(result.config->host, "0.0.0.0");
  EXPECT_EQ(result.config->environment, "development");
  EXPECT_EQ(result.config->sqlite_path(), "./data/sre-playground.db");
}

TEST(BuildConfig, ParsesValues) {
  auto result = build_config({{"PORT", "9000"},
                              {"LOG_LEVEL", "debug"},
                              {"ACCESS_LOG_SAMPLE_RATE", "0.25"},
                              {"DATABASE_URL", "sqlite:///tmp/x.db"},
                              {"SHUTDOWN_DELAY_SECONDS", "0"}});
  ASSERT_TRUE(result.config) << result.error;
  EXPECT_EQ(result.config->port, 9000);
  EXPECT_EQ(result.config->log_level, "debug");
  EXPECT_DOUBLE_EQ(result.config->access_log_sample_rate, 0.25);
  EXPECT_EQ(result.config->sqlite_path(), "/tmp/x.db");
  EXPECT_EQ(result.config->shutdown_delay_seconds, 0);
}

TEST(BuildConfig, PostgresUrlsAndDatabaseSettings) {
  for (const char* url : {"postgresql://u:p@db:5432/app", "postgres://u:p@db/app"}) {
    auto result = build_config({{"DATABASE_URL", url},
                                {"DB_POOL_SIZE", "8"},
                                {"DB_STATEMENT_TIMEOUT_MS", "2500"},
                                {"DB_CONNECT_TIMEOUT_MS", "1500"},
                                {"AUTO_MIGRATE", "false"}});
    ASSERT_TRUE(result.config) << result.error;
    EXPECT_TRUE(result.config->uses_postgres());
    EXPECT_EQ(result.config->database_url, url);
    EXPECT_EQ(result.config->db_pool_size, 8U);
    EXPECT_EQ(result.config->db_statement_timeout_ms, 2500);
    EXPECT_EQ(result.config->db_connect_timeout_ms, 1500);
    EXPECT_FALSE(result.config->auto_migrate);
  }
  auto defaults = build_config({});
  ASSERT_TRUE(defaults.config);
  EXPECT_FALSE(defaults.config->uses_postgres());
  EXPECT_TRUE(defaults.config->auto_migrate);
}

struct InvalidCase {
  const char* env;
  const char* value;
};

class InvalidSetting : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidSetting, IsRefusedWithTheSettingsName) {
  auto result = build_config({{GetParam().env, GetParam().value}});
  EXPECT_FALSE(result.config);
  EXPECT_NE(result.error.find(GetParam().env), std::string::npos) << result.error;
  EXPECT_EQ(result.error.find('\n'), std::string::npos) << "one line only";
}

INSTANTIATE_TEST_SUITE_P(
    Config, InvalidSetting,
    testing::Values(InvalidCase{"PORT", "abc"}, InvalidCase{"PORT", "70000"},
                    InvalidCase{"PORT", "0"}, InvalidCase{"PORT", "80 "},
                    InvalidCase{"LOG_LEVEL", "loud"}, InvalidCase{"ACCESS_LOG_SAMPLE_RATE", "2"},
                    InvalidCase{"ACCESS_LOG_SAMPLE_RATE", "nan"},
                    InvalidCase{"SHUTDOWN_TIMEOUT_SECONDS", "-1"},
                    InvalidCase{"WORKER_THREADS", "1000"}, InvalidCase{"DATABASE_URL", "mysql://x"},
                    InvalidCase{"DATABASE_URL", "sqlite://"}, InvalidCase{"HOST", ""},
                    InvalidCase{"HOST", "localhost"}, InvalidCase{"MAX_BODY_BYTES", "0"},
                    InvalidCase{"DB_POOL_SIZE", "0"}, InvalidCase{"DB_STATEMENT_TIMEOUT_MS", "0"},
                    InvalidCase{"DB_CONNECT_TIMEOUT_MS", "x"},
                    InvalidCase{"AUTO_MIGRATE", "maybe"}),
    [](const testing::TestParamInfo<InvalidCase>& info) {
      return std::string(info.param.env) + "_" + std::to_string(info.index);
    });

INSTANTIATE_TEST_SUITE_P(RedisAndRateLimits, InvalidSetting,
                         testing::Values(InvalidCase{"REDIS_URL", "localhost:6379"},
                                         InvalidCase{"RATE_LIMITS", "/a 1/fortnight"},
                                         InvalidCase{"RATE_LIMIT_ENABLED", "maybe"},
                                         InvalidCase{"TRUSTED_PROXIES", "proxy.internal"},
                                         InvalidCase{"CACHE_TTL_SECONDS", "-1"}));

TEST(BuildConfig, RedisAndRateLimitSettings) {
  auto defaults = build_config({});
  ASSERT_TRUE(defaults.config) << defaults.error;
  EXPECT_TRUE(defaults.config->redis_url.empty());
  EXPECT_TRUE(defaults.config->rate_limit_enabled);
  EXPECT_EQ(defaults.config->cache_ttl_seconds, 300);

  auto result = build_config({{"REDIS_URL", "redis://:pw@cache:6380/1"},
                              {"RATE_LIMIT_ENABLED", "false"},
                              {"RATE_LIMITS", "POST /api/v1/students 1/s"},
                              {"TRUSTED_PROXIES", "10.0.0.0/8"}});
  ASSERT_TRUE(result.config) << result.error;
  EXPECT_FALSE(result.config->rate_limit_enabled);
  EXPECT_EQ(result.config->rate_limits, "POST /api/v1/students 1/s");
  bool redacted = false;
  for (const auto& [key, value] : describe(*result.config)) {
    if (key == "redis") {
      EXPECT_EQ(value, "redis://:***@cache:6380/1");
      redacted = true;
    }
  }
  EXPECT_TRUE(redacted);
}

TEST(Dotenv, ParsesCommentsQuotesAndExport) {
  auto entries = parse_dotenv(
      "# comment\n"
      "ENVIRONMENT=staging\n"
      "export PORT=9001\n"
      "  LOG_LEVEL = \"debug\"  \n"
      "APP_NAME='my app'\n"
      "DATA_DIR=/var/data # trailing comment\n"
      "not a pair\n"
      "\n");
  ASSERT_EQ(entries.size(), 5U);
  EXPECT_EQ(entries[0], std::make_pair(std::string("ENVIRONMENT"), std::string("staging")));
  EXPECT_EQ(entries[1], std::make_pair(std::string("PORT"), std::string("9001")));
  EXPECT_EQ(entries[2], std::make_pair(std::string("LOG_LEVEL"), std::string("debug")));
  EXPECT_EQ(entries[3], std::make_pair(std::string("APP_NAME"), std::string("my app")));
  EXPECT_EQ(entries[4], std::make_pair(std::string("DATA_DIR"), std::string("/var/data")));
}

TEST(RedactUrl, HidesThePasswordOnly) {
  EXPECT_EQ(redact_url("postgresql://admin:secret@db:5432/sredb"),
            "postgresql://admin:***@db:5432/sredb");
  EXPECT_EQ(redact_url("redis://:pw@cache:6379/0"), "redis://:***@cache:6379/0");
  EXPECT_EQ(redact_url("postgresql://admin@db/sredb"), "postgresql://admin@db/sredb");
  EXPECT_EQ(redact_url("sqlite:///data/x.db"), "sqlite:///data/x.db");
}

TEST(Settings, EveryFlagIsTheEnvNameInKebabCase) {
  for (const auto& setting : serve_settings()) {
    std::string flag = setting.flag();
    ASSERT_TRUE(flag.starts_with("--"));
    EXPECT_EQ(flag.size(), setting.env.size() + 2);
    EXPECT_EQ(flag.find('_'), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace sre::core
