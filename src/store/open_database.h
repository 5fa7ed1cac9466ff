// The engine choice, in one place: DATABASE_URL picks SQLite or PostgreSQL.
#pragma once

#include <memory>

#include "core/config.h"
#include "store/database.h"

namespace sre::store {

// Builds the database the configuration names; touches nothing on disk or the network yet.
std::unique_ptr<Database> open_database(const core::Config& config);

}  // namespace sre::store
