// How to reach PostgreSQL and how patient to be with it: the part of the service
// configuration the PostgreSQL store needs, in its own units.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace sre::store {

struct PgSettings {
  std::string url;         // postgresql://user:pass@host:port/db (postgres:// too)
  unsigned pool_size = 4;  // connections per I/O thread
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds connect_timeout{3000};
  std::string application_name = "sre-playground";

  // libpq connection keywords: the URL first, then our own settings, which win over the same
  // keyword inside the URL (libpq keeps the last value it processes).
  std::vector<std::pair<std::string, std::string>> connection_keywords() const;
};

// connection_keywords() as the two null-terminated arrays PQconnectdbParams and
// PQconnectStartParams take; valid while this object lives.
class PgConnectArguments {
 public:
  explicit PgConnectArguments(const PgSettings& settings);
  const char* const* keys() const { return keys_.data(); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<std::pair<std::string, std::string>> keywords_;
  std::vector<const char*> keys_;
  std::vector<const char*> values_;
};

}  // namespace sre::store
