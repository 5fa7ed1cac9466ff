// Schema migrations on PostgreSQL, with ordinary blocking libpq: they run from the `migrate`
// command or a startup thread, never on an I/O thread.
//
// Two instances starting at once must not both apply a migration: everything happens while
// holding a session-level advisory lock (pg_advisory_lock), so the second instance waits,
// then finds nothing pending. Each migration runs in its own transaction together with its
// schema_migrations row: it is applied and recorded, or neither.
#pragma once

#include <vector>

#include "store/migrations.h"
#include "store/postgres/pg_settings.h"

namespace sre::store {

// Applies the pending postgres_migrations(); returns how many. Throws PgError (cannot
// connect, SQL failed) or MigrationTampered (an applied migration's file was changed).
int apply_pg_migrations(const PgSettings& settings);

// What schema_migrations records (empty if the table does not exist yet). Throws PgError.
std::vector<AppliedMigration> pg_applied_migrations(const PgSettings& settings);

}  // namespace sre::store
