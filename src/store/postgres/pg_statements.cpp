#include "store/postgres/pg_statements.h"

namespace sre::store {

namespace {

// The API's timestamp format (RFC 3339, UTC, microseconds), done by the server so rows come
// back ready to serialise. Must match core::rfc3339_micros.
#define SRE_PG_TIMESTAMP(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define SRE_PG_STUDENT_COLUMNS                                       \
  "id, student_id, first_name, last_name, grade, " SRE_PG_TIMESTAMP( \
      "created_at") ", " SRE_PG_TIMESTAMP("updated_at")

constexpr std::array<PgStatement, kPgStatements> kStatements = {{
    // The id is drawn by the service (STU-XXXXXXXX); a unique violation means "draw again".
    // Timestamps come from the database clock, the one clock all instances share.
    // clock_timestamp(), not now(): now() is when the transaction began, and an UPDATE that
    // waited for the row lock would then look older than the one it overwrote.
    {PgStatementId::insert_student, "insert_student",
     "INSERT INTO students (student_id, first_name, last_name, grade, created_at, updated_at) "
     "VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp()) "
     "RETURNING " SRE_PG_STUDENT_COLUMNS,
     4},
    {PgStatementId::find_student, "find_student",
     "SELECT " SRE_PG_STUDENT_COLUMNS " FROM students WHERE student_id = $1", 1},
    // Ordered by the sequence id: new students land on the last page, earlier pages stay put.
    {PgStatementId::list_students, "list_students",
     "SELECT " SRE_PG_STUDENT_COLUMNS " FROM students ORDER BY id LIMIT $1 OFFSET $2", 2},
    // One statement for PUT and PATCH: a NULL parameter keeps the current value. A single
    // UPDATE is atomic, and concurrent updates of one row queue on its row lock: the last
    // one to commit wins, whole (fields of two requests are never mixed).
    {PgStatementId::update_student, "update_student",
     "UPDATE students SET first_name = COALESCE($1, first_name), "
     "last_name = COALESCE($2, last_name), grade = COALESCE($3::integer, grade), "
     "updated_at = clock_timestamp() WHERE student_id = $4 RETURNING " SRE_PG_STUDENT_COLUMNS,
     4},
    {PgStatementId::delete_student, "delete_student", "DELETE FROM students WHERE student_id = $1",
     1},
    // Readiness: proves the server answers and the schema is there, not just the socket.
    {PgStatementId::ping, "ping", "SELECT 1 FROM schema_migrations LIMIT 1", 0},
}};

#undef SRE_PG_STUDENT_COLUMNS
#undef SRE_PG_TIMESTAMP

}  // namespace

const std::array<PgStatement, kPgStatements>& pg_statements() {
  return kStatements;
}

const PgStatement& pg_statement(PgStatementId id) {
  return kStatements[static_cast<std::size_t>(id)];
}

}  // namespace sre::store
