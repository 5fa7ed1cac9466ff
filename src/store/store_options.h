// The store's settings: which engine keeps the students (DATABASE_URL, parsed once into an
// engine choice), where SQLite keeps its file, and how patient to be with PostgreSQL.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/config.h"
#include "store/postgres/pg_settings.h"

namespace sre::store {

// DATABASE_URL: unset (SQLite under DATA_DIR), sqlite:///path or postgresql://...
struct DatabaseUrl {
  enum class Engine : bool { sqlite, postgres };
  Engine engine = Engine::sqlite;
  std::string sqlite_file;   // sqlite:///path's path; empty: the file under DATA_DIR
  std::string postgres_url;  // postgresql:// or postgres://, as given (libpq reads it)
};

// The choice, or a one-line reason the URL is not one we know.
core::Parsed<DatabaseUrl> parse_database_url(std::string_view text);
// The URL again; empty for the default SQLite file.
std::string url_of(const DatabaseUrl& url);

struct StoreOptions {
  DatabaseUrl database;
  std::string data_dir = "./data";
  unsigned db_threads = 2;  // SQLite readers
  // PostgreSQL: connections per I/O thread, how long a statement and a connect may take.
  unsigned pool_size = 4;
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds connect_timeout{3000};
  bool auto_migrate = true;  // `serve` applies migrations at start

  bool uses_postgres() const { return database.engine == DatabaseUrl::Engine::postgres; }
  // The SQLite database file (DATABASE_URL sqlite:///path wins over DATA_DIR).
  std::string sqlite_path() const;
  // What the PostgreSQL store needs; `application_name` is shown in pg_stat_activity.
  PgSettings pg_settings(std::string application_name) const;
};

const std::vector<core::Setting<StoreOptions>>& settings();

}  // namespace sre::store
