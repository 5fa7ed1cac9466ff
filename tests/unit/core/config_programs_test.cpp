// The programs' tables, composed from their owners' rows: which settings each program has,
// what describe() shows of them (every row, secrets redacted), and the README's tables,
// which must be exactly what `<program> --help-markdown` prints.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "api/serve_config.h"
#include "core/config.h"
#include "grade_service/grade_service_config.h"
#include "loadtest/loadtest_options.h"
#include "worker/worker_config.h"

namespace sre {
namespace {

template <typename Options>
std::vector<std::string> names(const std::vector<core::Setting<Options>>& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back(row.env);
  }
  return out;
}

std::set<std::string> as_set(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

TEST(ServeSettings, EverySettingOnceAndNoOther) {
  auto serve = names(api::serve_settings());
  EXPECT_EQ(as_set(serve).size(), serve.size()) << "an environment name is used twice";
  EXPECT_EQ(as_set(serve), (std::set<std::string>{"HOST",
                                                  "PORT",
                                                  "DATA_DIR",
                                                  "DATABASE_URL",
                                                  "ENVIRONMENT",
                                                  "APP_NAME",
                                                  "LOG_LEVEL",
                                                  "ACCESS_LOG_SAMPLE_RATE",
                                                  "SHUTDOWN_DELAY_SECONDS",
                                                  "SHUTDOWN_TIMEOUT_SECONDS",
                                                  "WORKER_THREADS",
                                                  "DB_THREADS",
                                                  "MAX_BODY_BYTES",
                                                  "MAX_HEADER_BYTES",
                                                  "REQUEST_TIMEOUT_SECONDS",
                                                  "IDLE_TIMEOUT_SECONDS",
                                                  "MAX_CONNECTIONS_PER_CLIENT",
                                                  "CORS_ORIGINS",
                                                  "WEB_DIR",
                                                  "DB_POOL_SIZE",
                                                  "DB_STATEMENT_TIMEOUT_MS",
                                                  "DB_CONNECT_TIMEOUT_MS",
                                                  "AUTO_MIGRATE",
                                                  "EVENTS_ENABLED",
                                                  "IDEMPOTENCY_KEY_TTL_SECONDS",
                                                  "GRADE_SERVICE_URL",
                                                  "GRADE_TIMEOUT_MS",
                                                  "GRADE_DEADLINE_MS",
                                                  "GRADE_MAX_ATTEMPTS",
                                                  "GRADE_BACKOFF_BASE_MS",
                                                  "GRADE_BACKOFF_MAX_MS",
                                                  "GRADE_RETRY_BUDGET_RATIO",
                                                  "GRADE_RETRY_BUDGET_MAX_TOKENS",
                                                  "GRADE_MAX_CONCURRENT_CALLS",
                                                  "CIRCUIT_BREAKER_FAILURE_THRESHOLD",
                                                  "CIRCUIT_BREAKER_FAILURE_RATE",
                                                  "CIRCUIT_BREAKER_WINDOW",
                                                  "CIRCUIT_BREAKER_MINIMUM_CALLS",
                                                  "CIRCUIT_BREAKER_OPEN_SECONDS",
                                                  "CIRCUIT_BREAKER_SLOW_CALL_MS",
                                                  "CIRCUIT_BREAKER_HALF_OPEN_PROBES",
                                                  "MAX_IN_FLIGHT",
                                                  "MAX_QUEUE_DELAY_MS",
                                                  "REDIS_URL",
                                                  "REDIS_TIMEOUT_MS",
                                                  "CACHE_TTL_SECONDS",
                                                  "CACHE_MAX_ENTRIES",
                                                  "RATE_LIMIT_ENABLED",
                                                  "RATE_LIMITS",
                                                  "TRUSTED_PROXIES",
                                                  "RATE_LIMIT_IPV6_PREFIX",
                                                  "AUTH_REQUIRED",
                                                  "JWT_SECRET",
                                                  "JWT_ALGORITHM",
                                                  "JWT_PRIVATE_KEY_FILE",
                                                  "JWT_PUBLIC_KEY_FILE",
                                                  "JWT_KEY_ID",
                                                  "JWT_ISSUER",
                                                  "JWT_TTL_SECONDS",
                                                  "JWT_LEEWAY_SECONDS",
                                                  "USERS_FILE",
                                                  "LOGIN_THREADS",
                                                  "LOGIN_QUEUE",
                                                  "ENABLE_SQS",
                                                  "ENABLE_DYNAMODB",
                                                  "AWS_ENDPOINT_URL",
                                                  "AWS_REGION",
                                                  "AWS_CA_BUNDLE",
                                                  "AWS_ACCESS_KEY_ID",
                                                  "AWS_ACCESS_KEY_ID_FILE",
                                                  "AWS_SECRET_ACCESS_KEY",
                                                  "AWS_SECRET_ACCESS_KEY_FILE",
                                                  "AWS_SESSION_TOKEN",
                                                  "AWS_SESSION_TOKEN_FILE",
                                                  "AWS_TIMEOUT_MS",
                                                  "AWS_AUTO_PROVISION",
                                                  "SQS_QUEUE_NAME",
                                                  "DYNAMODB_TABLE",
                                                  "RELAY_SQS_BATCH",
                                                  "RELAY_DYNAMODB_BATCH",
                                                  "RELAY_CONCURRENCY",
                                                  "RELAY_LEASE_SECONDS",
                                                  "RELAY_POLL_INTERVAL_MS",
                                                  "OUTBOX_RETENTION_SECONDS",
                                                  "AUDIT_RETENTION_DAYS",
                                                  "RELAY_BACKOFF_BASE_MS",
                                                  "RELAY_BACKOFF_MAX_MS",
                                                  "RELAY_BREAKER_OPEN_SECONDS"}));
}

TEST(ServeSettings, EachPartGetsItsOwnValues) {
  auto built = core::build(api::serve_settings(), {{"PORT", "9000"},
                                                   {"LOG_LEVEL", "debug"},
                                                   {"CACHE_TTL_SECONDS", "7"},
                                                   {"GRADE_MAX_ATTEMPTS", "2"},
                                                   {"MAX_IN_FLIGHT", "5"}});
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_EQ(built.options->server.port, 9000);
  EXPECT_EQ(built.options->log.level, "debug");
  EXPECT_EQ(built.options->cache.ttl, std::chrono::seconds(7));
  EXPECT_EQ(built.options->grades.max_attempts, 2);
  EXPECT_EQ(built.options->load_shedding.max_in_flight, 5);
  auto refused = core::build(api::serve_settings(), {{"PORT", "70000"}});
  EXPECT_EQ(refused.error, "invalid PORT: '70000' is not an integer in 1..65535");
}

TEST(ServeSettings, AuditRetentionIsWholeDaysAndZeroKeepsForever) {
  auto defaults = core::build(api::serve_settings(), {});
  ASSERT_TRUE(defaults.options) << defaults.error;
  EXPECT_EQ(defaults.options->relay.audit_retention, std::chrono::days(90));
  auto forever = core::build(api::serve_settings(), {{"AUDIT_RETENTION_DAYS", "0"}});
  ASSERT_TRUE(forever.options) << forever.error;
  EXPECT_EQ(forever.options->relay.audit_retention, std::chrono::days(0));
  for (const char* refused : {"-1", "36501", "1.5", "90d", ""}) {
    auto built = core::build(api::serve_settings(), {{"AUDIT_RETENTION_DAYS", refused}});
    EXPECT_FALSE(built.options) << refused;
  }
}

TEST(ServeSettings, DescribeShowsEveryRowWithSecretsRedacted) {
  auto built = core::build(api::serve_settings(),
                           {{"DATABASE_URL", "postgresql://admin:hunter2@db:5432/app"},
                            {"REDIS_URL", "redis://:hunter2@cache:6380/1"}});
  ASSERT_TRUE(built.options) << built.error;
  auto described = core::describe(api::serve_settings(), *built.options);
  std::set<std::string> keys;
  for (const auto& [key, value] : described) {
    keys.insert(key);
    EXPECT_EQ(value.find("hunter2"), std::string::npos) << key << "=" << value;
  }
  for (const auto& row : api::serve_settings()) {
    EXPECT_TRUE(keys.contains(core::key_of(row.env))) << row.env << " missing from describe()";
  }
  EXPECT_TRUE(keys.contains("grade_backoff_base_ms"));
  EXPECT_TRUE(keys.contains("grade_retry_budget_max_tokens"));
  auto value_of = [&](std::string_view key) {
    for (const auto& [k, v] : described) {
      if (k == key) {
        return v;
      }
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(value_of("database_url"), "postgresql://admin:***@db:5432/app");
  EXPECT_EQ(value_of("redis_url"), "redis://:***@cache:6380/1");
  EXPECT_EQ(value_of("data_dir"), "./data");
}

TEST(GradeServiceSettings, Port8001AndOnlyItsSettings) {
  EXPECT_EQ(names(grade_service::settings()),
            (std::vector<std::string>{
                "HOST", "PORT", "WORKER_THREADS", "MAX_BODY_BYTES", "MAX_HEADER_BYTES",
                "REQUEST_TIMEOUT_SECONDS", "IDLE_TIMEOUT_SECONDS", "MAX_CONNECTIONS_PER_CLIENT",
                "LOG_LEVEL", "GRADE_ERROR_RATE", "GRADE_LATENCY_MS", "GRADE_LATENCY_JITTER_MS"}));
  auto built = core::build(grade_service::settings(), {{"GRADE_LATENCY_MS", "2000"}});
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_EQ(built.options->server.port, 8001);
  EXPECT_EQ(built.options->faults.latency, std::chrono::milliseconds(2000));
  auto docs = core::document(grade_service::settings());
  EXPECT_EQ(docs[1].default_text, "8001");
  EXPECT_EQ(docs[1].help, "TCP port of the grade service");
  EXPECT_EQ(core::document(api::serve_settings())[1].help, "TCP port of the API");
}

TEST(MigrateSettings, TheStoreAndTheNameItConnectsAs) {
  auto built = core::build(api::migrate_settings(),
                           {{"DATABASE_URL", "postgres://u@db/app"}, {"APP_NAME", "migrator"}});
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_TRUE(built.options->store.uses_postgres());
  EXPECT_EQ(built.options->api.app_name, "migrator");
  EXPECT_FALSE(as_set(names(api::migrate_settings())).contains("PORT"));
}

TEST(WorkerSettings, ItsPortIsWorkerPortAndItSharesTheStoreSettings) {
  auto worker = names(worker::settings());
  EXPECT_EQ(as_set(worker).size(), worker.size()) << "an environment name is used twice";
  EXPECT_TRUE(as_set(worker).contains("WORKER_PORT"));
  EXPECT_FALSE(as_set(worker).contains("PORT"));  // the API's, in a shared .env
  EXPECT_TRUE(as_set(worker).contains("DATABASE_URL"));
  auto built = core::build(worker::settings(),
                           {{"WORKER_PORT", "9102"}, {"PORT", "8000"}, {"WORKER_BATCH_SIZE", "3"}});
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_EQ(built.options->server.port, 9102);
  EXPECT_EQ(built.options->worker.batch_size, 3);
  EXPECT_EQ(worker::WorkerConfig{}.server.port, 8002);
  EXPECT_FALSE(core::build(worker::settings(), {{"WORKER_BATCH_SIZE", "11"}}).options)
      << "SQS hands out at most 10 messages per receive";
}

TEST(LoadtestSettings, ItsOwnRowsOnly) {
  auto rows = names(loadtest::settings());
  EXPECT_EQ(as_set(rows).size(), rows.size()) << "an environment name is used twice";
  EXPECT_FALSE(as_set(rows).contains("PORT"));  // the API's, in a shared .env
  auto built = core::build(loadtest::settings(), {{"TARGET_URL", "http://localhost:9000"},
                                                  {"MODE", "open"},
                                                  {"RATE", "250"},
                                                  {"GRADES_WEIGHT", "0"}});
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_EQ(built.options->target.host, "localhost");
  EXPECT_EQ(built.options->target.port, "9000");
  EXPECT_EQ(built.options->rate, 250.0);
  EXPECT_EQ(built.options->weights.grades, 0u);
  EXPECT_EQ(built.options->weights.read, 70u);
  EXPECT_EQ(core::build(loadtest::settings(), {{"TARGET_URL", "http://h"}}).options->target.port,
            "80");
  EXPECT_FALSE(core::build(loadtest::settings(), {{"TARGET_URL", "https://h/"}}).options);
  EXPECT_FALSE(core::build(loadtest::settings(), {{"TARGET_URL", "http://h/api"}}).options);
  EXPECT_FALSE(core::build(loadtest::settings(), {{"MODE", "half-open"}}).options);
}

// The text between <!-- settings:NAME --> and <!-- /settings:NAME --> in README.md.
std::string readme_block(const std::string& name) {
  std::ifstream file(std::string(SRE_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << file.rdbuf();
  const std::string all = text.str();
  const std::string open = "<!-- settings:" + name + " -->\n";
  const std::string close = "<!-- /settings:" + name + " -->";
  auto begin = all.find(open);
  auto end = all.find(close);
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    return "<no block " + name + " in README.md>";
  }
  return all.substr(begin + open.size(), end - begin - open.size());
}

TEST(Readme, ConfigurationTablesAreTheRows) {
  EXPECT_EQ(readme_block("serve"), core::markdown_table(core::document(api::serve_settings())))
      << "README.md drifted: paste `sre-playground serve --help-markdown` between its markers";
  EXPECT_EQ(readme_block("grade-service"),
            core::markdown_table(core::document(grade_service::settings())))
      << "README.md drifted: paste `sre-playground grade-service --help-markdown` between its "
         "markers";
  EXPECT_EQ(readme_block("worker"), core::markdown_table(core::document(worker::settings())))
      << "README.md drifted: paste `sre-playground worker --help-markdown` between its markers";
  EXPECT_EQ(readme_block("loadtest"), core::markdown_table(core::document(loadtest::settings())))
      << "README.md drifted: paste `sre-playground loadtest --help-markdown` between its markers";
}

}  // namespace
}  // namespace sre
