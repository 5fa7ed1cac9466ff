#include "store/postgres/pg_migrations.h"

#include <libpq-fe.h>

#include <memory>
#include <string>

#include "core/log.h"
#include "store/postgres/pg_error.h"
#include "store/postgres/pg_result.h"

namespace sre::store {

namespace {

// Any constant shared by every instance: the key of the "migrating" advisory lock.
constexpr const char* kMigrationLockKey = "727274651";

struct ConnectionCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

std::string message_of(PGconn* conn) {
  std::string text = PQerrorMessage(conn);
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

Connection connect(const PgSettings& settings) {
  PgConnectArguments arguments(settings);
  Connection conn(PQconnectdbParams(arguments.keys(), arguments.values(), 1));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    throw PgError(PgErrorKind::connect,
                  conn ? message_of(conn.get()) : std::string("out of memory"));
  }
  return conn;
}

// Runs SQL (possibly several statements, no parameters) or a one-statement query with
// parameters; throws PgError on failure.
PgResult exec(PGconn* conn, const std::string& sql, const std::vector<std::string>& params = {}) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) {
    values.push_back(p.c_str());
  }
  PgResult result(params.empty() ? PQexec(conn, sql.c_str())
                                 : PQexecParams(conn, sql.c_str(), static_cast<int>(params.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0));
  auto status = result ? result.status() : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    throw PgError(sqlstate.empty() ? PgErrorKind::connect : classify_sqlstate(sqlstate),
                  message_of(conn), sqlstate);
  }
  return result;
}

std::vector<AppliedMigration> read_applied(PGconn* conn) {
  auto rows = exec(conn,
                   "SELECT version, name, checksum, "
                   "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
                   "FROM schema_migrations ORDER BY version");
  std::vector<AppliedMigration> applied;
  applied.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    applied.push_back({static_cast<int>(rows.integer(row, 0)), rows.text(row, 1), rows.text(row, 2),
                       rows.text(row, 3)});
  }
  return applied;
}

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
    " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

}  // namespace

int apply_pg_migrations(const PgSettings& settings) {
  Connection conn = connect(settings);
  // Waits while another instance migrates; released when this session ends, even on a crash.
  exec(conn.get(), std::string("SELECT pg_advisory_lock(") + kMigrationLockKey + ")");
  exec(conn.get(), "SET client_min_messages = warning");  // no NOTICE for IF NOT EXISTS
  exec(conn.get(), kCreateMigrationsTable);
  int applied = 0;
  for (const Migration* migration :
       pending_migrations(postgres_migrations(), read_applied(conn.get()))) {
    exec(conn.get(), "BEGIN");
    try {
      exec(conn.get(), std::string(migration->sql));
      exec(conn.get(),
           "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
           {std::to_string(migration->version), std::string(migration->name),
            checksum(migration->sql)});
      exec(conn.get(), "COMMIT");
    } catch (...) {
      PQclear(PQexec(conn.get(), "ROLLBACK"));
      throw;
    }
    log::info(
        "migration applied",
        {{"version", migration->version}, {"name", migration->name}, {"database", "postgresql"}});
    ++applied;
  }
  exec(conn.get(), std::string("SELECT pg_advisory_unlock(") + kMigrationLockKey + ")");
  return applied;
}

std::vector<AppliedMigration> pg_applied_migrations(const PgSettings& settings) {
  Connection conn = connect(settings);
  auto exists = exec(conn.get(), "SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (exists.text(0, 0) != "t") {
    return {};
  }
  return read_applied(conn.get());
}

}  // namespace sre::store
