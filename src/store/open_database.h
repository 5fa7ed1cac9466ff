// The engine choice, in one place: DATABASE_URL picks SQLite or PostgreSQL.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"
#include "store/store_options.h"

namespace sre::store {

// Builds the database `options` names; touches nothing on disk or the network yet.
// `application_name`: how PostgreSQL sessions are named (APP_NAME).
std::unique_ptr<Database> open_database(const StoreOptions& options, std::string application_name);

}  // namespace sre::store
