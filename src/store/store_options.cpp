#include "store/store_options.h"

namespace sre::store {

namespace {
constexpr std::string_view kSqliteScheme = "sqlite://";
}  // namespace

core::Parsed<DatabaseUrl> parse_database_url(std::string_view text) {
  DatabaseUrl url;
  if (text.starts_with("postgres://") || text.starts_with("postgresql://")) {
    url.engine = DatabaseUrl::Engine::postgres;
    url.postgres_url = std::string(text);
    return url;
  }
  if (!text.empty() && !text.starts_with(kSqliteScheme)) {
    return std::string("must start with sqlite://, postgresql:// or postgres://");
  }
  if (text.starts_with(kSqliteScheme) && text.size() <= kSqliteScheme.size()) {
    return std::string("sqlite:// needs a path, e.g. sqlite:///var/lib/app.db");
  }
  if (!text.empty()) {
    url.sqlite_file = std::string(text.substr(kSqliteScheme.size()));
  }
  return url;
}

std::string url_of(const DatabaseUrl& url) {
  if (url.engine == DatabaseUrl::Engine::postgres) {
    return url.postgres_url;
  }
  return url.sqlite_file.empty() ? std::string() : std::string(kSqliteScheme) + url.sqlite_file;
}

std::string StoreOptions::sqlite_path() const {
  return database.sqlite_file.empty() ? data_dir + "/sre-playground.db" : database.sqlite_file;
}

PgSettings StoreOptions::pg_settings(std::string application_name) const {
  PgSettings settings;
  settings.url = database.postgres_url;
  settings.pool_size = pool_size;
  settings.statement_timeout = statement_timeout;
  settings.connect_timeout = connect_timeout;
  settings.application_name = std::move(application_name);
  return settings;
}

const std::vector<core::Setting<StoreOptions>>& settings() {
  using core::setting;
  using std::chrono::milliseconds;
  static const std::vector<core::Setting<StoreOptions>> rows{
      setting("DATA_DIR", &StoreOptions::data_dir, core::non_empty_text(),
              "Directory of the embedded SQLite database"),
      setting("DATABASE_URL", &StoreOptions::database,
              core::parsed_by<DatabaseUrl>(parse_database_url, url_of,
                                           "sqlite:///path, postgresql://... or postgres://..."),
              "Unset: SQLite in DATA_DIR; sqlite:///path: that file; "
              "postgresql://user:pass@host:port/db (or postgres://): PostgreSQL",
              core::Visibility::secret),
      setting("DB_THREADS", &StoreOptions::db_threads, core::integer_in<unsigned>(1, 64),
              "SQLite reader threads (one writer thread besides)"),
      setting("DB_POOL_SIZE", &StoreOptions::pool_size, core::integer_in<unsigned>(1, 64),
              "PostgreSQL connections per I/O thread (requests pipeline onto them)"),
      setting("DB_STATEMENT_TIMEOUT_MS", &StoreOptions::statement_timeout,
              core::duration_in<milliseconds>(1, 600000),
              "PostgreSQL cancels a statement running longer than this"),
      setting("DB_CONNECT_TIMEOUT_MS", &StoreOptions::connect_timeout,
              core::duration_in<milliseconds>(1, 600000),
              "Give up a PostgreSQL connection attempt (or the wait for a free connection) after "
              "this"),
      setting("AUTO_MIGRATE", &StoreOptions::auto_migrate, core::boolean(),
              "serve applies pending schema migrations at start (true/false)"),
  };
  return rows;
}

}  // namespace sre::store
