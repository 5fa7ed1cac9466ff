#include "store/migrations.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

namespace sre::store::embedded {
extern const std::string_view sqlite_0001_create_students;
extern const std::string_view postgres_0001_create_students;
extern const std::string_view sqlite_0002_events_outbox;
extern const std::string_view postgres_0002_events_outbox;
}  // namespace sre::store::embedded

namespace sre::store {

const std::vector<Migration>& sqlite_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "create_students", embedded::sqlite_0001_create_students},
      {2, "events_outbox", embedded::sqlite_0002_events_outbox},
  };
  return migrations;
}

const std::vector<Migration>& postgres_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "create_students", embedded::postgres_0001_create_students},
      {2, "events_outbox", embedded::postgres_0002_events_outbox},
  };
  return migrations;
}

std::string checksum(std::string_view sql) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(sql.data(), sql.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

std::vector<const Migration*> pending_migrations(const std::vector<Migration>& all,
                                                 const std::vector<AppliedMigration>& applied) {
  std::vector<const Migration*> pending;
  for (const auto& migration : all) {
    auto recorded = std::find_if(applied.begin(), applied.end(),
                                 [&](const auto& row) { return row.version == migration.version; });
    if (recorded == applied.end()) {
      pending.push_back(&migration);
      continue;
    }
    std::string expected = checksum(migration.sql);
    if (recorded->checksum != expected) {
      throw MigrationTampered(fmt::format(
          "migration {} ({}) was changed after it was applied: checksum {} in the database, "
          "{} in this build; restore the original file and add a new migration instead",
          migration.version, migration.name, recorded->checksum, expected));
    }
  }
  return pending;
}

}  // namespace sre::store
