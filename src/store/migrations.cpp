#include "store/migrations.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>

namespace sre::store::embedded {
extern const std::string_view sqlite_0001_create_students;
}

namespace sre::store {

const std::vector<Migration>& sqlite_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "create_students", embedded::sqlite_0001_create_students},
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

}  // namespace sre::store
