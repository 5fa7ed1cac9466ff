// The PostgreSQL driver's pure parts: error classification, connection
// keywords. (The driver itself is tested against a real server in tests/e2e.)
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "store/postgres/pg_error.h"
#include "store/postgres/pg_settings.h"

namespace sre::store {
namespace {

using std::chrono::milliseconds;

TEST(ClassifySqlstate, SortsServerErrorsByWhatOperatorsDo) {
  EXPECT_EQ(classify_sqlstate("57014"), PgErrorKind::timeout);     // statement_timeout
  EXPECT_EQ(classify_sqlstate("23505"), PgErrorKind::constraint);  // unique_violation
  EXPECT_EQ(classify_sqlstate("23514"), PgErrorKind::constraint);  // check_violation
  EXPECT_EQ(classify_sqlstate("08006"), PgErrorKind::connect);     // connection_failure
  EXPECT_EQ(classify_sqlstate("57P01"), PgErrorKind::connect);     // admin_shutdown
  EXPECT_EQ(classify_sqlstate("53300"), PgErrorKind::connect);     // too_many_connections
  EXPECT_EQ(classify_sqlstate("42P01"), PgErrorKind::other);       // undefined_table
}

TEST(PgError, OnlyConnectAndTimeoutAreWorthARetry) {
  EXPECT_TRUE(PgError(PgErrorKind::connect, "x").is_transient());
  EXPECT_TRUE(PgError(PgErrorKind::timeout, "x").is_transient());
  EXPECT_FALSE(PgError(PgErrorKind::constraint, "x", "23505").is_transient());
  EXPECT_TRUE(PgError(PgErrorKind::constraint, "x", "23505").is_unique_violation());
  EXPECT_FALSE(PgError(PgErrorKind::other, "x").is_transient());
}

TEST(PgSettings, OurTimeoutsComeAfterTheUrlSoTheyWin) {
  PgSettings settings;
  settings.url = "postgresql://u:p@db:5432/app?connect_timeout=99";
  settings.statement_timeout = milliseconds(2500);
  settings.connect_timeout = milliseconds(1200);
  auto keywords = settings.connection_keywords();
  ASSERT_FALSE(keywords.empty());
  EXPECT_EQ(keywords.front().first, "dbname");  // expanded first, then overridden
  EXPECT_EQ(keywords.front().second, settings.url);
  std::map<std::string, std::string> last(keywords.begin(), keywords.end());
  EXPECT_EQ(last["options"], "-c statement_timeout=2500");
  EXPECT_EQ(last["connect_timeout"], "2");  // libpq's minimum, in whole seconds
  EXPECT_EQ(last["application_name"], "sre-playground");
}

}  // namespace
}  // namespace sre::store
