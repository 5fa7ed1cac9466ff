#include "store/open_database.h"

#include "store/postgres/pg_student_store.h"
#include "store/sqlite/sqlite_student_store.h"

namespace sre::store {

std::unique_ptr<Database> open_database(const StoreOptions& options, std::string application_name) {
  if (options.uses_postgres()) {
    return std::make_unique<PgStudentStore>(options.pg_settings(std::move(application_name)));
  }
  return std::make_unique<SqliteStudentStore>(options.sqlite_path(), options.db_threads);
}

}  // namespace sre::store
