// Every SQL statement the PostgreSQL store runs, by name. Each connection prepares all of
// them once, right after it connects, so a request only sends the name and its parameters
// (no parsing or planning per request). The names also label the query duration histogram.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sre::store {

enum class PgStatementId : std::uint8_t {
  insert_student,
  find_student,
  list_students,
  list_students_after,
  update_student,
  delete_student,
  ping,
  find_idempotent_answer,
  forget_expired_key,
  prune_idempotency_keys,
  // The outbox, once per table: events first, then audit (see outbox_statement()).
  claim_events,
  mark_events_delivered,
  release_events,
  mark_events_undeliverable,
  events_backlog,
  prune_delivered_events,
  claim_audit,
  mark_audit_delivered,
  release_audit,
  mark_audit_undeliverable,
  audit_backlog,
  prune_delivered_audit,
  apply_event,
  grade_enrollment,
  count_welcome_notifications,
  audit_records_of_student,
  // The cross-process signal of outbox commits (PgOutboxSignal).
  listen_outbox,
  notify_outbox,
};

// What one outbox statement does; with the topic it names a PgStatementId.
enum class OutboxOperation : std::uint8_t {
  claim,
  mark_delivered,
  release,
  mark_undeliverable,
  backlog,
  prune_delivered,
};
inline constexpr std::size_t kOutboxOperations = 6;

struct PgStatement {
  PgStatementId id;
  const char* name;
  const char* sql;
  int parameters;
};

inline constexpr std::size_t kPgStatements = 28;
// The most parameters a statement takes (the connection sizes its parameter array by it).
inline constexpr std::size_t kMaxPgParameters = 12;

const std::array<PgStatement, kPgStatements>& pg_statements();
const PgStatement& pg_statement(PgStatementId id);

// The statement of `operation` on the events table (`audit` false) or the audit table.
PgStatementId outbox_statement(OutboxOperation operation, bool audit);

}  // namespace sre::store
