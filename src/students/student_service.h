// The students use case, between the HTTP handlers and the store: what creating, reading,
// listing, changing and deleting a student means, independent of HTTP.
//
// It owns the public ids (drawn at random, redrawn when the store reports one taken), the
// change records of every write (an event and an audit record, rendered here and written by
// the store in the student's own transaction: the transactional outbox), idempotent creates
// (Idempotency-Key), the notification of writes to whoever keeps copies
// (StudentChangeListener) or ships the outbox (the relay's wake-up), the student metrics and
// the log lines of student operations. Inputs arrive validated (domain::validate_student,
// domain::validate_page); results are domain values.
#pragma once

#include <prometheus/counter.h>

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/ids.h"
#include "domain/student.h"
#include "domain/student_change.h"
#include "domain/validation.h"
#include "obs/metrics.h"
#include "resilience/backoff.h"
#include "store/student_store.h"
#include "students/student_change_listener.h"
#include "students/student_options.h"

namespace sre::students {

// Who asked for a write: recorded in the audit record (actor) and in the event
// (correlation_id).
struct WriteContext {
  std::string actor = "anonymous";
  std::string request_id;
  std::string traceparent;  // the request's own span (domain::StudentChange::traceparent)
};

// A new student, or the answer to an earlier request with the same Idempotency-Key and body.
struct Created {
  domain::Student student;
  bool replayed = false;
};
// The Idempotency-Key was used before with a different request. Nothing was written.
struct IdempotencyKeyReused {};
// Every id drawn for a new student was taken: the id space is crowded (or the store keeps
// reporting a conflict). Nothing was written.
struct NoFreeStudentId {
  int attempts = 0;
};

using CreateResult = std::variant<Created, IdempotencyKeyReused, NoFreeStudentId>;

// Called after every committed write that put rows in the outbox, on the writer's thread:
// wakes the relay. Must be cheap and must not throw.
using OutboxWritten = std::function<void()>;

class StudentService {
 public:
  // How many ids create() draws before it gives up. With 32 random bits a second draw is
  // already rare; five taken in a row means something else is wrong.
  static constexpr int kMaxIdAttempts = 5;
  // How often update() and remove() re-read a row that changed between their read and their
  // write before they give up (store::StoreUnavailable: 503, the client retries). Each round
  // of a race has a winner, so this many concurrent writers of one student all get through;
  // the jittered pause between attempts spreads the losers out.
  static constexpr int kMaxWriteAttempts = 32;
  static constexpr resilience::BackoffPolicy kWriteRetryBackoff{std::chrono::milliseconds(1),
                                                                std::chrono::milliseconds(16)};

  // Whether `student_id` has the shape of the ids create() draws: others are never found.
  static bool can_exist(std::string_view student_id) {
    return core::is_generated_student_id(student_id);
  }

  // `changes`: told about updates and deletes; null when nobody keeps copies.
  // `outbox_written`: empty when nobody ships the outbox from this process.
  StudentService(store::StudentStore& store, obs::Metrics& metrics,
                 StudentChangeListener* changes = nullptr, StudentOptions options = {},
                 OutboxWritten outbox_written = {});

  // `fields` has all three fields set (domain::StudentInput::full). With an idempotency key,
  // a repeat of the same request answers the first one's student (replayed).
  boost::asio::awaitable<CreateResult> create(domain::StudentFields fields, WriteContext context,
                                              std::optional<std::string> idempotency_key = {});
  // nullopt when there is no such student (an id that cannot exist costs no store read).
  boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id);
  boost::asio::awaitable<store::ListOutcome> list(domain::Page page);
  // Changes the fields that are set; nullopt when there is no such student.
  boost::asio::awaitable<std::optional<domain::Student>> update(std::string student_id,
                                                                domain::StudentFields fields,
                                                                WriteContext context);
  // False when there was no such student.
  boost::asio::awaitable<bool> remove(std::string student_id, WriteContext context);
  // Deletes the idempotency keys older than IDEMPOTENCY_KEY_TTL_SECONDS (an expired key is
  // already unknown to create(); this keeps the table as small as a day of creates). Returns
  // how many; throws store::StoreUnavailable like every store call.
  boost::asio::awaitable<std::int64_t> prune_expired_idempotency_keys();

 private:
  boost::asio::awaitable<std::optional<CreateResult>> answer_of_stored_key(
      const store::IdempotencyKey& key);
  store::OutboxRecords records_of(domain::StudentChange change) const;
  void written(bool with_outbox_rows) const;

  store::StudentStore& store_;
  StudentChangeListener* changes_;
  StudentOptions options_;
  OutboxWritten outbox_written_;
  prometheus::Counter* created_;
  prometheus::Counter* replayed_;
  prometheus::Counter* key_reused_;
  prometheus::Counter* write_conflicts_;
  prometheus::Counter* keys_pruned_;
};

}  // namespace sre::students
