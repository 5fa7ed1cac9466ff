// Versioned schema migrations, shipped inside the binary (src/store/migrations/<dialect>/).
// Applied in version order; each applied one is recorded in schema_migrations with a checksum
// of its SQL, so editing a migration after it ran is caught instead of silently ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sre::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& sqlite_migrations();

// Hex SHA-256 of the migration text.
std::string checksum(std::string_view sql);

}  // namespace sre::store
