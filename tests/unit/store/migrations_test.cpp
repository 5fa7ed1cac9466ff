#include "store/migrations.h"

#include <gtest/gtest.h>

namespace sre::store {
namespace {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, "create_students", "CREATE TABLE students (id INTEGER)"},
      {2, "add_email", "ALTER TABLE students ADD email TEXT"},
  };
  return all;
}

TEST(PendingMigrations, NothingAppliedMeansAllPendingInOrder) {
  auto pending = pending_migrations(migrations(), {});
  ASSERT_EQ(pending.size(), 2U);
  EXPECT_EQ(pending[0]->version, 1);
  EXPECT_EQ(pending[1]->version, 2);
}

TEST(PendingMigrations, AppliedWithTheSameChecksumAreSkipped) {
  std::vector<AppliedMigration> applied = {
      {1, "create_students", checksum(migrations()[0].sql), "2026-01-01T00:00:00Z"}};
  auto pending = pending_migrations(migrations(), applied);
  ASSERT_EQ(pending.size(), 1U);
  EXPECT_EQ(pending[0]->name, "add_email");
}

TEST(PendingMigrations, AChangedAppliedMigrationStopsEverything) {
  std::vector<AppliedMigration> applied = {{1, "create_students", "0000", "2026-01-01T00:00:00Z"}};
  try {
    pending_migrations(migrations(), applied);
    FAIL() << "a changed checksum was accepted";
  } catch (const MigrationTampered& e) {
    EXPECT_NE(std::string(e.what()).find("migration 1 (create_students) was changed"),
              std::string::npos)
        << e.what();
  }
}

TEST(Checksum, IsHexSha256OfTheText) {
  EXPECT_EQ(checksum(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_NE(checksum("a"), checksum("a "));
}

TEST(EmbeddedMigrations, BothDialectsStartWithTheStudentsTable) {
  for (const auto* dialect : {&sqlite_migrations(), &postgres_migrations()}) {
    ASSERT_FALSE(dialect->empty());
    EXPECT_EQ(dialect->front().version, 1);
    EXPECT_NE(dialect->front().sql.find("CREATE TABLE students"), std::string_view::npos);
  }
}

}  // namespace
}  // namespace sre::store
