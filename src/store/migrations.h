// Versioned schema migrations, shipped inside the binary (src/store/migrations/<dialect>/).
// Applied in version order; each applied one is recorded in schema_migrations with a checksum
// of its SQL, so editing a migration after it ran is caught instead of silently ignored.
//
// The bookkeeping (which are pending, is the history intact) is dialect-free and lives here;
// each engine only knows how to read its schema_migrations table and run SQL.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sre::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// A row of schema_migrations.
struct AppliedMigration {
  int version;
  std::string name;
  std::string checksum;
  std::string applied_at;
};

// An applied migration whose file changed afterwards: the database and this build disagree
// about the schema's history. Never "fixed" automatically: a human decides.
class MigrationTampered : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgres_migrations();

// Hex SHA-256 of the migration text.
std::string checksum(std::string_view sql);

// The migrations of `all` not yet in `applied`, in version order. Throws MigrationTampered
// when an applied migration's checksum differs from this build's file.
std::vector<const Migration*> pending_migrations(const std::vector<Migration>& all,
                                                 const std::vector<AppliedMigration>& applied);

}  // namespace sre::store
