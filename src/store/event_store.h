// What the event machinery keeps in the database, beside the students: the outbox of events
// and audit records written with each change (see domain/student_change.h), the relay's
// delivery bookkeeping, the worker's effects, and the local audit log.
//
//   API (StudentService)  writes outbox rows in the student's own transaction (StudentStore)
//   relay (in `serve`)    claim -> send to SQS / DynamoDB -> mark_delivered (or release)
//   worker                claim (no SQS: it reads the outbox itself) or SQS -> apply_event
//   GET .../audit         audit_records (DynamoDB off)   GET /stats/grades   grade_enrollment
//
// Delivery is at least once: a relay that dies after AWS acknowledged and before
// mark_delivered sends those rows again after their lease runs out. Consumers deduplicate by
// event_id (apply_event), so effects happen exactly once.
//
// Every method is a coroutine and never blocks the calling I/O thread; failures of the
// database throw StoreUnavailable like the StudentStore's. The bookkeeping writes answer how
// many rows they changed (no awaitable<void> with parameters: g++ 12 passes the arguments of
// such a member coroutine shifted by one).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sre::store {

// The two outbox tables. `events` go to SQS (or straight to the worker), `audit` records to
// DynamoDB (or nowhere: without DynamoDB the table is the audit log and is never pruned).
enum class OutboxTopic : std::uint8_t { events, audit };

// One outbox row as the relay sees it.
struct OutboxMessage {
  std::int64_t sequence = 0;  // the row's order of writing (its primary key)
  std::string id;             // event_id, or the audit record's id
  std::string student_id;
  std::string body;        // the rendered event or audit record, exactly as sent
  double age_seconds = 0;  // since the change was written (freshness)
  int attempts = 0;        // deliveries tried and failed before this claim
};

struct OutboxBacklog {
  std::int64_t pending = 0;       // neither delivered nor given up on
  double oldest_age_seconds = 0;  // of the oldest pending row; 0 when none is pending
  std::int64_t given_up = 0;      // rows marked undeliverable (mark_undeliverable)
};

// A worker's effects of one event, applied together with the record that the event was
// processed.
struct EventEffects {
  std::string event_id;
  std::string event_type;
  struct GradeDelta {
    int grade = 0;
    int delta = 0;  // +1 enrolled, -1 left
  };
  std::vector<GradeDelta> enrollment;
  struct Welcome {
    std::string student_id;
    std::string message;
  };
  std::optional<Welcome> welcome;  // created: one welcome notification per new student
};

struct GradeEnrollment {
  int grade = 0;
  std::int64_t students = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Leases up to `limit` pending rows of `topic`, oldest first, for `lease`: no other relay
  // gets them until the lease runs out or they are released. Rows another relay holds are
  // skipped, not waited for (FOR UPDATE SKIP LOCKED on PostgreSQL), so several instances
  // relay at once without sending a row twice.
  virtual boost::asio::awaitable<std::vector<OutboxMessage>> claim(OutboxTopic topic, int limit,
                                                                   std::chrono::seconds lease) = 0;
  // The destination acknowledged these rows: never sent again, pruned after the retention.
  virtual boost::asio::awaitable<std::int64_t> mark_delivered(
      OutboxTopic topic, std::vector<std::int64_t> sequences) = 0;
  // Sending failed: the lease ends now and attempts grows by one (the relay backs off).
  virtual boost::asio::awaitable<std::int64_t> release(OutboxTopic topic,
                                                       std::vector<std::int64_t> sequences) = 0;
  // The destination refused these rows for good (a non-retryable error): they stay in the
  // table with `reason`, counted in OutboxBacklog::given_up, and are not claimed again.
  virtual boost::asio::awaitable<std::int64_t> mark_undeliverable(
      OutboxTopic topic, std::vector<std::int64_t> sequences, std::string reason) = 0;
  virtual boost::asio::awaitable<OutboxBacklog> backlog(OutboxTopic topic) = 0;
  // Deletes rows delivered more than `retention` ago; returns how many.
  virtual boost::asio::awaitable<std::int64_t> prune_delivered(OutboxTopic topic,
                                                               std::chrono::seconds retention) = 0;

  // Applies the effects and records the event as processed, in one transaction. False (and
  // nothing applied) when this event_id was processed before.
  virtual boost::asio::awaitable<bool> apply_event(EventEffects effects) = 0;
  // Students per grade as the worker counted them, grades 1..12 that have any.
  virtual boost::asio::awaitable<std::vector<GradeEnrollment>> grade_enrollment() = 0;
  // How many welcome notifications the worker has written.
  virtual boost::asio::awaitable<std::int64_t> welcome_notifications() = 0;

  // The local audit log of one student, newest first, at most `limit` rendered records.
  virtual boost::asio::awaitable<std::vector<std::string>> audit_records(std::string student_id,
                                                                         int limit) = 0;
};

}  // namespace sre::store
