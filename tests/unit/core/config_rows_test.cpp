// The settings rows each folder owns, one case per row, grouped by the owner's table. Adding a
// setting is one row in its owner's table and one RowCase in the owner's list below: the
// check fails for a row without a case. Each case gives a text the row accepts (and how the
// value is shown again), one it refuses, and the check also parses every row's default.
// Typed tests after each list check that the text became the owner's type.
#include <gtest/gtest.h>

#include <set>

#include "api/api_options.h"
#include "cache/cache_options.h"
#include "core/config.h"
#include "core/log_options.h"
#include "grade_service/grade_service_options.h"
#include "grades/grades_options.h"
#include "http/server_settings.h"
#include "ratelimit/rate_limit_options.h"
#include "redis/redis_settings.h"
#include "resilience/load_shedding_settings.h"
#include "service/service_options.h"
#include "store/store_options.h"

namespace sre {
namespace {

using std::chrono::milliseconds;

struct RowCase {
  std::string env;
  std::string accepted;
  std::string shown;                   // the accepted value as describe() shows it
  std::optional<std::string> refused;  // nullopt: the row accepts any text
};

// Every row has a case; each case's texts are accepted and refused as stated; every default
// is shown as a text the row parses back to the same value.
template <typename Options>
void check_rows(const std::vector<core::Setting<Options>>& rows,
                const std::vector<RowCase>& cases) {
  const Options defaults;
  for (const auto& row : rows) {
    auto it = std::find_if(cases.begin(), cases.end(),
                           [&](const RowCase& c) { return c.env == row.env; });
    EXPECT_NE(it, cases.end()) << "no RowCase for " << row.env << ": add one";
    Options reparsed = defaults;
    EXPECT_FALSE(row.apply(reparsed, row.show(defaults))) << row.env << "'s default";
    EXPECT_EQ(row.show(reparsed), row.show(defaults)) << row.env;
    EXPECT_FALSE(row.help.empty()) << row.env;
    EXPECT_FALSE(row.accepts.empty()) << row.env;
  }
  for (const auto& c : cases) {
    auto row =
        std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.env == c.env; });
    ASSERT_NE(row, rows.end()) << c.env << " has a case but no row";
    auto accepted = core::build(rows, {{c.env, c.accepted}});
    ASSERT_TRUE(accepted.options) << accepted.error;
    EXPECT_EQ(core::shown(*row, *accepted.options), c.shown) << c.env;
    if (!c.refused) {
      continue;
    }
    auto refused = core::build(rows, {{c.env, *c.refused}});
    EXPECT_FALSE(refused.options) << c.env << "=" << *c.refused;
    EXPECT_TRUE(refused.error.starts_with("invalid " + c.env + ": ")) << refused.error;
    EXPECT_EQ(refused.error.find('\n'), std::string::npos) << "one line only";
  }
}

template <typename Options>
Options built(const std::vector<core::Setting<Options>>& rows,
              const std::map<std::string, std::string>& values) {
  auto result = core::build(rows, values);
  EXPECT_TRUE(result.options) << result.error;
  return result.options.value_or(Options{});
}

// --- http: the server of every program -------------------------------------------------------

TEST(ServerRows, EachRow) {
  check_rows(http::server_settings("TCP port"),
             {{"HOST", "::", "::", "localhost"},
              {"PORT", "65535", "65535", "0"},
              {"WORKER_THREADS", "0", "0", "257"},
              {"MAX_BODY_BYTES", "1", "1", "0"},
              {"MAX_HEADER_BYTES", "1024", "1024", "1023"},
              {"REQUEST_TIMEOUT_SECONDS", "1", "1", "ten"},
              {"IDLE_TIMEOUT_SECONDS", "2147483647", "2147483647", "1.5"},
              {"MAX_CONNECTIONS_PER_CLIENT", "0", "0", "-1"}});
}

TEST(ServerRows, DefaultsAndThreads) {
  auto options = built(http::server_settings("TCP port"), {});
  EXPECT_EQ(options.host, "0.0.0.0");
  EXPECT_EQ(options.port, 8000);
  EXPECT_EQ(options.max_body_bytes, 1048576U);
  EXPECT_GE(http::io_thread_count(options), 1U) << "0 means one per core";
  options.threads = 3;
  EXPECT_EQ(http::io_thread_count(options), 3U);
}

// --- core: the log ---------------------------------------------------------------------------

TEST(LogRows, EachRow) {
  check_rows(core::log_settings(), {{"LOG_LEVEL", "debug", "debug", "loud"}});
}

// --- api and service -------------------------------------------------------------------------

TEST(ApiRows, EachRow) {
  check_rows(api::settings(), {{"ENVIRONMENT", "staging", "staging", ""},
                               {"APP_NAME", "my app", "my app", ""},
                               {"WEB_DIR", "/srv/web", "/srv/web", std::nullopt}});
}

TEST(ServiceRows, EachRow) {
  check_rows(service::settings(), {{"ACCESS_LOG_SAMPLE_RATE", "0.25", "0.25", "nan"},
                                   {"SHUTDOWN_DELAY_SECONDS", "0", "0", "-1"},
                                   {"SHUTDOWN_TIMEOUT_SECONDS", "3600", "3600", "soon"}});
}

// --- store -----------------------------------------------------------------------------------

TEST(StoreRows, EachRow) {
  check_rows(store::settings(), {{"DATA_DIR", "/var/data", "/var/data", ""},
                                 {"DATABASE_URL", "postgresql://u:p@db:5432/app",
                                  "postgresql://u:***@db:5432/app", "mysql://x"},
                                 {"DB_THREADS", "64", "64", "0"},
                                 {"DB_POOL_SIZE", "8", "8", "0"},
                                 {"DB_STATEMENT_TIMEOUT_MS", "2500", "2500", "0"},
                                 {"DB_CONNECT_TIMEOUT_MS", "1500", "1500", "x"},
                                 {"AUTO_MIGRATE", "false", "false", "maybe"}});
}

TEST(StoreRows, DatabaseUrlIsParsedIntoTheEngineChoice) {
  auto embedded = built(store::settings(), {});
  EXPECT_FALSE(embedded.uses_postgres());
  EXPECT_EQ(embedded.sqlite_path(), "./data/sre-playground.db");
  auto file = built(store::settings(), {{"DATABASE_URL", "sqlite:///tmp/x.db"}});
  EXPECT_FALSE(file.uses_postgres());
  EXPECT_EQ(file.sqlite_path(), "/tmp/x.db");
  for (const char* url : {"postgresql://u:p@db:5432/app", "postgres://u:p@db/app"}) {
    auto pg = built(store::settings(), {{"DATABASE_URL", url}, {"DB_POOL_SIZE", "8"}});
    EXPECT_TRUE(pg.uses_postgres()) << url;
    auto settings = pg.pg_settings("app");
    EXPECT_EQ(settings.url, url);
    EXPECT_EQ(settings.pool_size, 8U);
    EXPECT_EQ(settings.application_name, "app");
  }
  EXPECT_FALSE(core::build(store::settings(), {{"DATABASE_URL", "sqlite://"}}).options);
}

// --- redis, cache, rate limiting -------------------------------------------------------------

TEST(RedisRows, EachRow) {
  check_rows(redis::settings(), {{"REDIS_URL", "redis://:pw@cache:6380/1",
                                  "redis://:***@cache:6380/1", "localhost:6379"},
                                 {"REDIS_TIMEOUT_MS", "60000", "60000", "0"}});
}

TEST(RedisRows, UrlIsParsedIntoTheEndpointOnce) {
  EXPECT_FALSE(built(redis::settings(), {}).client_options()) << "unset: no Redis";
  auto options = built(redis::settings(),
                       {{"REDIS_URL", "redis://user:pw@cache:6380/2"}, {"REDIS_TIMEOUT_MS", "100"}})
                     .client_options();
  ASSERT_TRUE(options);
  EXPECT_EQ(options->endpoint.host, "cache");
  EXPECT_EQ(options->endpoint.port, 6380);
  EXPECT_EQ(options->endpoint.username, "user");
  EXPECT_EQ(options->endpoint.password, "pw");
  EXPECT_EQ(options->endpoint.database, 2);
  EXPECT_EQ(options->timeout, milliseconds(100));
}

TEST(CacheRows, EachRow) {
  check_rows(cache::settings(),
             {{"CACHE_TTL_SECONDS", "0", "0", "-1"}, {"CACHE_MAX_ENTRIES", "1", "1", "0"}});
  EXPECT_TRUE(built(cache::settings(), {}).enabled());
  EXPECT_FALSE(built(cache::settings(), {{"CACHE_TTL_SECONDS", "0"}}).enabled());
}

TEST(RateLimitRows, EachRow) {
  check_rows(ratelimit::settings(),
             {{"RATE_LIMIT_ENABLED", "false", "false", "maybe"},
              {"RATE_LIMITS", "POST /api/v1/students 1/s", "POST /api/v1/students 1/s burst 1",
               "/a 1/fortnight"},
              {"TRUSTED_PROXIES", "10.0.0.0/8, ::1", "10.0.0.0/8, ::1/128", "proxy.internal"},
              {"RATE_LIMIT_IPV6_PREFIX", "48", "48", "129"}});
}

TEST(RateLimitRows, TextsAreParsedIntoPoliciesAndProxies) {
  auto defaults = built(ratelimit::settings(), {});
  EXPECT_TRUE(defaults.enabled);
  EXPECT_EQ(defaults.policies.describe(), ratelimit::default_policies().describe());
  EXPECT_TRUE(defaults.trusted_proxies.empty());
  auto options = built(ratelimit::settings(), {{"RATE_LIMITS", "POST /api/v1/students 1/s"},
                                               {"TRUSTED_PROXIES", "10.0.0.0/8"}});
  ASSERT_EQ(options.policies.policies().size(), 1U);
  EXPECT_EQ(options.policies.policies()[0].method, "POST");
  EXPECT_TRUE(options.trusted_proxies.contains(boost::asio::ip::make_address("10.1.2.3")));
  // Empty RATE_LIMITS keeps the defaults, as if unset.
  EXPECT_EQ(built(ratelimit::settings(), {{"RATE_LIMITS", ""}}).policies.describe(),
            defaults.policies.describe());
}

// --- grades client and load shedding ---------------------------------------------------------

TEST(GradesRows, EachRow) {
  check_rows(grades::settings(), {{"GRADE_SERVICE_URL", "http://grades.internal:8001/v1/",
                                   "http://grades.internal:8001/v1", "https://x:8001"},
                                  {"GRADE_TIMEOUT_MS", "1", "1", "0"},
                                  {"GRADE_DEADLINE_MS", "600000", "600000", "600001"},
                                  {"GRADE_MAX_ATTEMPTS", "1", "1", "11"},
                                  {"GRADE_BACKOFF_BASE_MS", "0", "0", "60001"},
                                  {"GRADE_BACKOFF_MAX_MS", "600000", "600000", "-1"},
                                  {"GRADE_RETRY_BUDGET_RATIO", "0", "0.0", "1.5"},
                                  {"GRADE_RETRY_BUDGET_MAX_TOKENS", "1", "1", "0"},
                                  {"GRADE_MAX_CONCURRENT_CALLS", "100000", "100000", "0"},
                                  {"CIRCUIT_BREAKER_FAILURE_THRESHOLD", "1000", "1000", "0"},
                                  {"CIRCUIT_BREAKER_FAILURE_RATE", "0.01", "0.01", "0"},
                                  {"CIRCUIT_BREAKER_WINDOW", "32", "32", "33"},
                                  {"CIRCUIT_BREAKER_MINIMUM_CALLS", "1", "1", "33"},
                                  {"CIRCUIT_BREAKER_OPEN_SECONDS", "86400", "86400", "0"},
                                  {"CIRCUIT_BREAKER_SLOW_CALL_MS", "1", "1", "0"},
                                  {"CIRCUIT_BREAKER_HALF_OPEN_PROBES", "100", "100", "101"}});
}

TEST(GradesRows, UrlIsRefusedUnlessPlainHttpWithAHost) {
  for (const char* url : {"127.0.0.1:8001", "http://:8001", "http://h:0", "http://h:8001/?q=1",
                          "http://u:p@h:8001"}) {
    EXPECT_FALSE(core::build(grades::settings(), {{"GRADE_SERVICE_URL", url}}).options) << url;
  }
}

TEST(GradesRows, DefaultsAreTheIssuesAndTheSeedsInTheOwnersTypes) {
  auto options = built(grades::settings(), {{"GRADE_SERVICE_URL", "http://grades:9000/v1/"},
                                            {"CIRCUIT_BREAKER_OPEN_SECONDS", "30"}});
  EXPECT_EQ(options.service.host, "grades");
  EXPECT_EQ(options.service.port, "9000");
  EXPECT_EQ(options.service.base_path, "/v1");
  EXPECT_EQ(options.breaker.open_duration, milliseconds(30000));
  auto defaults = built(grades::settings(), {});
  EXPECT_EQ(defaults.timeout, milliseconds(500));
  EXPECT_EQ(defaults.breaker.consecutive_failure_threshold, 3);
  EXPECT_EQ(defaults.breaker.open_duration, milliseconds(60000));
  EXPECT_DOUBLE_EQ(defaults.retry_budget_ratio, 0.1);
  EXPECT_EQ(defaults.backoff.base, milliseconds(25));
  EXPECT_EQ(defaults.backoff.cap, milliseconds(250));
}

TEST(LoadSheddingRows, EachRow) {
  check_rows(resilience::load_shedding_settings(),
             {{"MAX_IN_FLIGHT", "0", "0", "-1"}, {"MAX_QUEUE_DELAY_MS", "0", "0", "x"}});
  auto defaults = built(resilience::load_shedding_settings(), {});
  EXPECT_EQ(defaults.max_in_flight, 1024);
  EXPECT_EQ(defaults.max_queue_delay, milliseconds(200));
}

// --- the grade service program's faults ------------------------------------------------------

TEST(GradeServiceFaultRows, EachRow) {
  check_rows(grade_service::fault_settings(),
             {{"GRADE_ERROR_RATE", "1", "1.0", "1.1"},
              {"GRADE_LATENCY_MS", "2000", "2000", "-1"},
              {"GRADE_LATENCY_JITTER_MS", "600000", "600000", "600001"}});
  EXPECT_DOUBLE_EQ(built(grade_service::fault_settings(), {}).error_rate, 0.3);
}

}  // namespace
}  // namespace sre
