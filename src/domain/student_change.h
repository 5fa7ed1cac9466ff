// A committed change of a student, and the two records every change leaves behind: the event
// that tells other systems (SQS queue `student-events`, or the outbox table when SQS is off)
// and the audit record that says who did what (DynamoDB table `sre-playground-audit`, or the
// local audit table). Pure data and JSON: no I/O.
//
// Both records are rendered once, when the change is written, and stored as text in the same
// transaction as the student row (the transactional outbox). What the outbox holds is exactly
// the bytes that are sent, so a row can be compared with what a consumer received.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sre::domain {

enum class ChangeKind : std::uint8_t { created, updated, deleted };

// "student_created", "student_updated", "student_deleted": the event_type of the event.
std::string_view event_type(ChangeKind kind);
// "create", "update", "delete": the action of the audit record.
std::string_view audit_action(ChangeKind kind);

// The values of a student that a change reports (before and after).
struct StudentSnapshot {
  std::string student_id;
  std::string first_name;
  std::string last_name;
  int grade = 0;
};

struct StudentChange {
  ChangeKind kind = ChangeKind::created;
  std::string student_id;
  std::optional<StudentSnapshot> before;  // updated, deleted
  std::optional<StudentSnapshot> after;   // created, updated
  std::string event_id;                   // UUID v4: consumers deduplicate by it
  std::string audit_id;                   // UUID v4: the audit record's key
  std::string occurred_at;                // RFC 3339 UTC, microseconds
  std::string actor;                      // who asked: the token's subject, or "anonymous"
  std::string request_id;                 // the request's X-Request-ID (correlation id)
  // The writing request's span in W3C form ("00-<trace>-<span>-<flags>"), so the consumers
  // of the change continue its trace; empty when the write came from no request.
  std::string traceparent;
};

// The event body (SQS message body):
//   {"event_id","event_type","data":{"student_id","name","first_name","last_name","grade",
//    "previous":{...} (updates only)},"timestamp","correlation_id","traceparent"}
// ("traceparent" only when the change has one; the relay also sends it as the SQS message
// attribute of that name).
// `data` holds the values after the change; for a deletion, the values that were deleted.
std::string render_event(const StudentChange& change);

// The audit record:
//   {"id","timestamp","action","actor","student_id","details":{"before","after"},"request_id",
//    "traceparent"}  ("traceparent" only when the change has one)
// with null for a side that does not exist (before of a creation, after of a deletion).
std::string render_audit_record(const StudentChange& change);

// What a consumer needs of an event body. Everything it reads is checked: a body that is not
// JSON, misses a field or has one of the wrong type is malformed (nullopt), never a crash.
struct StudentEvent {
  std::string event_id;
  ChangeKind kind = ChangeKind::created;
  StudentSnapshot data;                     // after (deleted: the deleted values)
  std::optional<StudentSnapshot> previous;  // updates: the values before
  std::string timestamp;
  std::string correlation_id;
  std::string traceparent;  // empty when the event has none
};
std::optional<StudentEvent> parse_event(std::string_view body);

}  // namespace sre::domain
