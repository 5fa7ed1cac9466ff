#include "store/open_database.h"

#include "store/postgres/pg_student_store.h"
#include "store/sqlite/sqlite_student_store.h"

namespace sre::store {

namespace {

PgSettings pg_settings(const core::Config& config) {
  PgSettings settings;
  settings.url = config.database_url;
  settings.pool_size = config.db_pool_size;
  settings.statement_timeout = std::chrono::milliseconds(config.db_statement_timeout_ms);
  settings.connect_timeout = std::chrono::milliseconds(config.db_connect_timeout_ms);
  settings.application_name = config.app_name;
  return settings;
}

}  // namespace

std::unique_ptr<Database> open_database(const core::Config& config) {
  if (config.uses_postgres()) {
    return std::make_unique<PgStudentStore>(pg_settings(config));
  }
  return std::make_unique<SqliteStudentStore>(config.sqlite_path(), config.db_threads);
}

}  // namespace sre::store
