#include "store/postgres/pg_statements.h"

namespace sre::store {

namespace {

// The LISTEN/NOTIFY channel on which every process announces its outbox commits.
#define SRE_PG_OUTBOX_CHANNEL "sre_playground_outbox"
// The API's timestamp format (RFC 3339, UTC, microseconds), done by the server so rows come
// back ready to serialise. Must match core::rfc3339_micros.
#define SRE_PG_TIMESTAMP(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define SRE_PG_STUDENT_COLUMNS                                       \
  "id, student_id, first_name, last_name, grade, " SRE_PG_TIMESTAMP( \
      "created_at") " AS created_at, " SRE_PG_TIMESTAMP("updated_at") " AS updated_at"

// The outbox rows of a change, inserted from the changed row `s` in the same statement (so in
// the same transaction). A NULL id means "no outbox" (EVENTS_ENABLED=false): nothing inserted.
#define SRE_PG_OUTBOX_INSERTS(event_id, event_type, event_body, audit_id, audit_record)   \
  "e AS (INSERT INTO outbox_events (event_id, event_type, student_id, body, created_at) " \
  "SELECT " event_id ", " event_type ", s.student_id, " event_body                        \
  ", clock_timestamp() "                                                                  \
  "FROM s WHERE " event_id                                                                \
  "::text IS NOT NULL), "                                                                 \
  "a AS (INSERT INTO audit_records (audit_id, student_id, body, created_at) "             \
  "SELECT " audit_id ", s.student_id, " audit_record                                      \
  ", clock_timestamp() "                                                                  \
  "FROM s WHERE " audit_id "::text IS NOT NULL) "

// The six outbox statements of one table. Claims lease the oldest pending rows; FOR UPDATE
// SKIP LOCKED passes over rows another relay is claiming this very moment, and the lease
// keeps them off the rows it has claimed until it reports back or the lease runs out.
#define SRE_PG_PENDING "delivered_at IS NULL AND undeliverable_reason IS NULL"
#define SRE_PG_OUTBOX_STATEMENTS(table, id_column, suffix)                                     \
  {PgStatementId::claim_##suffix, "claim_" #suffix,                                            \
   "UPDATE " table                                                                             \
   " o SET lease_until = clock_timestamp() + make_interval(secs => $2) "                       \
   "FROM (SELECT sequence FROM " table " WHERE " SRE_PG_PENDING                                \
   " AND (lease_until IS NULL OR lease_until < clock_timestamp()) "                            \
   "ORDER BY sequence LIMIT $1 FOR UPDATE SKIP LOCKED) c WHERE o.sequence = c.sequence "       \
   "RETURNING o.sequence, o." id_column                                                        \
   ", o.student_id, o.body, "                                                                  \
   "EXTRACT(EPOCH FROM clock_timestamp() - o.created_at)::float8, o.attempts",                 \
   2},                                                                                         \
      {PgStatementId::mark_##suffix##_delivered, "mark_" #suffix "_delivered",                 \
       "UPDATE " table                                                                         \
       " SET delivered_at = clock_timestamp(), lease_until = NULL "                            \
       "WHERE sequence = ANY($1::bigint[])",                                                   \
       1},                                                                                     \
      {PgStatementId::release_##suffix, "release_" #suffix,                                    \
       "UPDATE " table                                                                         \
       " SET lease_until = NULL, attempts = attempts + 1 "                                     \
       "WHERE sequence = ANY($1::bigint[]) AND delivered_at IS NULL",                          \
       1},                                                                                     \
      {PgStatementId::mark_##suffix##_undeliverable, "mark_" #suffix "_undeliverable",         \
       "UPDATE " table                                                                         \
       " SET undeliverable_reason = $2, lease_until = NULL, "                                  \
       "attempts = attempts + 1 WHERE sequence = ANY($1::bigint[]) AND delivered_at IS NULL",  \
       2},                                                                                     \
      {PgStatementId::suffix##_backlog, #suffix "_backlog",                                    \
       "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)" \
       "::float8, (SELECT count(*) FROM " table                                                \
       " WHERE undeliverable_reason IS NOT NULL) "                                             \
       "FROM " table " WHERE " SRE_PG_PENDING,                                                 \
       0},                                                                                     \
  {                                                                                            \
    PgStatementId::prune_delivered_##suffix, "prune_delivered_" #suffix,                       \
        "DELETE FROM " table                                                                   \
        " WHERE delivered_at < clock_timestamp() - make_interval(secs => $1)",                 \
        1                                                                                      \
  }

constexpr std::array<PgStatement, kPgStatements> kStatements = {{
    // The id is drawn by the service (STU-XXXXXXXX); a unique violation means "draw again".
    // Timestamps come from the database clock, the one clock all instances share.
    // clock_timestamp(), not now(): now() is when the transaction began, and an UPDATE that
    // waited for the row lock would then look older than the one it overwrote.
    // One statement, so one transaction: the student, its outbox rows and its idempotency
    // key (when $10 is not NULL) commit together.
    {PgStatementId::insert_student, "insert_student",
     "WITH s AS (INSERT INTO students "
     "(student_id, first_name, last_name, grade, created_at, updated_at) "
     "VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp()) "
     "RETURNING " SRE_PG_STUDENT_COLUMNS "), " SRE_PG_OUTBOX_INSERTS(
         "$5", "$6", "$7", "$8", "$9") ", k AS (INSERT INTO idempotency_keys (key, "
                                       "request_fingerprint, student_pk, student_id, "
                                       "first_name, last_name, grade, created_at, updated_at, "
                                       "stored_at) SELECT $10, $11, s.id, s.student_id, "
                                       "s.first_name, s.last_name, s.grade, s.created_at, "
                                       "s.updated_at, clock_timestamp() FROM s "
                                       "WHERE $10::text IS NOT NULL) "
                                       "SELECT * FROM s",
     11},
    {PgStatementId::find_student, "find_student",
     "SELECT " SRE_PG_STUDENT_COLUMNS " FROM students WHERE student_id = $1", 1},
    // Ordered by the sequence id: new students land on the last page, earlier pages stay put.
    // OFFSET walks the primary key over every skipped row: it costs the skip.
    {PgStatementId::list_students, "list_students",
     "SELECT " SRE_PG_STUDENT_COLUMNS " FROM students ORDER BY id LIMIT $1 OFFSET $2", 2},
    // Keyset: the cursor's id through the student_id index (an InitPlan, run once), then a
    // range of the primary key from the cursor's own row on: the same cost on any page.
    {PgStatementId::list_students_after, "list_students_after",
     "SELECT " SRE_PG_STUDENT_COLUMNS " FROM students "
     "WHERE id >= (SELECT id FROM students WHERE student_id = $1) ORDER BY id LIMIT $2",
     2},
    // One statement for PUT and PATCH: a NULL parameter keeps the current value. A single
    // UPDATE is atomic, and concurrent updates of one row queue on its row lock: the last
    // one to commit wins, whole (fields of two requests are never mixed). With $5 it is a
    // compare and set: the outbox rows describe the change from the row the caller read, so
    // the row must still be that one (after waiting for a lock, PostgreSQL re-checks the
    // condition on the newest version).
    {PgStatementId::update_student, "update_student",
     "WITH s AS (UPDATE students SET first_name = COALESCE($1, first_name), "
     "last_name = COALESCE($2, last_name), grade = COALESCE($3::integer, grade), "
     "updated_at = clock_timestamp() WHERE student_id = $4 "
     "AND ($5::text IS NULL OR " SRE_PG_TIMESTAMP(
         "updated_at") " = $5) "
                       "RETURNING " SRE_PG_STUDENT_COLUMNS
                       "), " SRE_PG_OUTBOX_INSERTS("$6", "$7", "$8", "$9", "$10") "SELECT * FROM s",
     10},
    {PgStatementId::delete_student, "delete_student",
     "WITH s AS (DELETE FROM students WHERE student_id = $1 "
     "AND ($2::text IS NULL OR " SRE_PG_TIMESTAMP(
         "updated_at") " = $2) "
                       "RETURNING student_id), " SRE_PG_OUTBOX_INSERTS(
                           "$3", "$4", "$5", "$6", "$7") "SELECT count(*) FROM s",
     7},
    // Readiness: proves the server answers and the schema is there, not just the socket.
    {PgStatementId::ping, "ping", "SELECT 1 FROM schema_migrations LIMIT 1", 0},
    {PgStatementId::find_idempotent_answer, "find_idempotent_answer",
     "SELECT request_fingerprint, student_pk, student_id, first_name, last_name, grade, "
     "created_at, updated_at FROM idempotency_keys "
     "WHERE key = $1 AND stored_at > clock_timestamp() - make_interval(secs => $2)",
     2},
    {PgStatementId::forget_expired_key, "forget_expired_key",
     "DELETE FROM idempotency_keys "
     "WHERE key = $1 AND stored_at <= clock_timestamp() - make_interval(secs => $2)",
     2},
    {PgStatementId::prune_idempotency_keys, "prune_idempotency_keys",
     "DELETE FROM idempotency_keys WHERE stored_at <= clock_timestamp() - make_interval(secs => "
     "$1)",
     1},
    SRE_PG_OUTBOX_STATEMENTS("outbox_events", "event_id", events),
    SRE_PG_OUTBOX_STATEMENTS("audit_records", "audit_id", audit),
    // The worker's effects and its record of the event, in one statement. ON CONFLICT DO
    // NOTHING makes a second delivery of the event a no-op: `p` is then empty, and every
    // effect selects FROM p. A concurrent duplicate waits on the key's index entry and then
    // finds the conflict.
    {PgStatementId::apply_event, "apply_event",
     "WITH p AS (INSERT INTO processed_events (event_id, event_type, processed_at) "
     "VALUES ($1, $2, clock_timestamp()) ON CONFLICT (event_id) DO NOTHING RETURNING event_id), "
     "g AS (INSERT INTO grade_enrollment (grade, students) "
     "SELECT d.grade, sum(d.delta) FROM p, unnest($3::integer[], $4::integer[]) AS d(grade, delta) "
     "GROUP BY d.grade ON CONFLICT (grade) "
     "DO UPDATE SET students = grade_enrollment.students + EXCLUDED.students), "
     "w AS (INSERT INTO welcome_notifications (student_id, event_id, message, created_at) "
     "SELECT $5, $1, $6, clock_timestamp() FROM p WHERE $5::text IS NOT NULL "
     "ON CONFLICT (student_id) DO NOTHING) "
     "SELECT count(*) FROM p",
     6},
    {PgStatementId::grade_enrollment, "grade_enrollment",
     "SELECT grade, students FROM grade_enrollment ORDER BY grade", 0},
    {PgStatementId::count_welcome_notifications, "count_welcome_notifications",
     "SELECT count(*) FROM welcome_notifications", 0},
    {PgStatementId::audit_records_of_student, "audit_records_of_student",
     "SELECT body FROM audit_records WHERE student_id = $1 ORDER BY sequence DESC LIMIT $2", 2},
    {PgStatementId::listen_outbox, "listen_outbox", "LISTEN " SRE_PG_OUTBOX_CHANNEL, 0},
    {PgStatementId::notify_outbox, "notify_outbox",
     "SELECT pg_notify('" SRE_PG_OUTBOX_CHANNEL "', '')", 0},
}};

// Every statement sits at its id's position and fits the connection's parameter array.
constexpr bool statements_are_consistent() {
  for (std::size_t i = 0; i < kStatements.size(); ++i) {
    if (static_cast<std::size_t>(kStatements[i].id) != i ||
        static_cast<std::size_t>(kStatements[i].parameters) > kMaxPgParameters) {
      return false;
    }
  }
  return true;
}
static_assert(statements_are_consistent());

#undef SRE_PG_OUTBOX_STATEMENTS
#undef SRE_PG_OUTBOX_CHANNEL
#undef SRE_PG_PENDING
#undef SRE_PG_OUTBOX_INSERTS
#undef SRE_PG_STUDENT_COLUMNS
#undef SRE_PG_TIMESTAMP

}  // namespace

const std::array<PgStatement, kPgStatements>& pg_statements() {
  return kStatements;
}

const PgStatement& pg_statement(PgStatementId id) {
  return kStatements[static_cast<std::size_t>(id)];
}

PgStatementId outbox_statement(OutboxOperation operation, bool audit) {
  const auto first =
      static_cast<std::size_t>(audit ? PgStatementId::claim_audit : PgStatementId::claim_events);
  return static_cast<PgStatementId>(first + static_cast<std::size_t>(operation));
}

}  // namespace sre::store
