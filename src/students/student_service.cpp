#include "students/student_service.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/clock.h"
#include "core/json_object_writer.h"
#include "core/log.h"

namespace sre::students {

namespace asio = boost::asio;
using domain::ChangeKind;
using domain::Student;
using domain::StudentSnapshot;

namespace {

StudentSnapshot snapshot(const Student& student) {
  return {student.student_id, student.first_name, student.last_name, student.grade};
}

// The student after `fields` are applied to `before` (what the store's UPDATE will write).
StudentSnapshot merged(StudentSnapshot before, const domain::StudentFields& fields) {
  if (fields.first_name) {
    before.first_name = *fields.first_name;
  }
  if (fields.last_name) {
    before.last_name = *fields.last_name;
  }
  if (fields.grade) {
    before.grade = *fields.grade;
  }
  return before;
}

// What a create asked for, in one canonical form: the same fields give the same text however
// the JSON body was spelled (key order, spaces, escapes).
std::string fingerprint(const domain::StudentFields& fields) {
  std::string out;
  core::JsonObjectWriter object(out);
  object.string("first_name", *fields.first_name);
  object.string("last_name", *fields.last_name);
  object.integer("grade", *fields.grade);
  object.close();
  return out;
}

// After a lost compare-and-set: a jittered pause before the re-read spreads the losers out.
asio::awaitable<void> pause_after_lost_race(int attempt) {
  asio::steady_timer pause(
      co_await asio::this_coro::executor,
      resilience::full_jitter_backoff(StudentService::kWriteRetryBackoff, attempt - 1,
                                      resilience::thread_random01()));
  co_await pause.async_wait(asio::use_awaitable);
}

prometheus::Counter* counter(obs::Metrics& metrics, const std::string& name,
                             const std::string& help) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(metrics.registry()).Add({});
}

}  // namespace

StudentService::StudentService(store::StudentStore& store, obs::Metrics& metrics,
                               StudentChangeListener* changes, StudentOptions options,
                               OutboxWritten outbox_written)
    : store_(store),
      changes_(changes),
      options_(options),
      outbox_written_(std::move(outbox_written)),
      created_(counter(metrics, "students_created_total", "Students created through the API")),
      replayed_(counter(metrics, "idempotent_replays_total",
                        "Creates answered from an earlier request with the same Idempotency-Key")),
      key_reused_(counter(metrics, "idempotency_key_conflicts_total",
                          "Creates refused: Idempotency-Key reused with a different body")),
      write_conflicts_(counter(metrics, "student_write_conflicts_total",
                               "Updates and deletes redone because the row changed meanwhile")),
      keys_pruned_(counter(metrics, "idempotency_keys_pruned_total",
                           "Idempotency keys deleted after IDEMPOTENCY_KEY_TTL_SECONDS")) {}

asio::awaitable<std::int64_t> StudentService::prune_expired_idempotency_keys() {
  const std::int64_t rows = co_await store_.prune_idempotency_keys(options_.idempotency_ttl);
  keys_pruned_->Increment(static_cast<double>(rows));
  if (rows > 0) {
    log::info("expired idempotency keys pruned", {{"rows", rows}});
  }
  co_return rows;
}

store::OutboxRecords StudentService::records_of(domain::StudentChange change) const {
  change.event_id = core::generate_uuid_v4();
  change.audit_id = core::generate_uuid_v4();
  change.occurred_at = core::rfc3339_micros(std::chrono::system_clock::now());
  std::string event = domain::render_event(change);
  std::string audit_record = domain::render_audit_record(change);
  return {std::move(change.event_id), std::string(domain::event_type(change.kind)),
          std::move(event), std::move(change.audit_id), std::move(audit_record)};
}

void StudentService::written(bool with_outbox_rows) const {
  if (with_outbox_rows && outbox_written_) {
    outbox_written_();
  }
}

asio::awaitable<std::optional<CreateResult>> StudentService::answer_of_stored_key(
    const store::IdempotencyKey& key) {
  auto answer = co_await store_.find_idempotent_answer(key.key, options_.idempotency_ttl);
  if (!answer) {
    co_return std::nullopt;
  }
  if (answer->request_fingerprint != key.request_fingerprint) {
    key_reused_->Increment();
    log::warn("idempotency key reused with a different body", {{"idempotency_key", key.key}});
    co_return IdempotencyKeyReused{};
  }
  replayed_->Increment();
  log::info("create replayed for idempotency key",
            {{"idempotency_key", key.key}, {"student_id", answer->student.student_id}});
  co_return Created{std::move(answer->student), true};
}

asio::awaitable<CreateResult> StudentService::create(domain::StudentFields fields,
                                                     WriteContext context,
                                                     std::optional<std::string> idempotency_key) {
  std::optional<store::IdempotencyKey> key;
  if (idempotency_key) {
    key = store::IdempotencyKey{std::move(*idempotency_key), fingerprint(fields)};
    if (auto answer = co_await answer_of_stored_key(*key)) {
      co_return std::move(*answer);
    }
  }
  for (int attempt = 1; attempt <= kMaxIdAttempts; ++attempt) {
    std::string student_id = core::generate_student_id();
    std::optional<store::OutboxRecords> records;
    if (options_.events_enabled) {
      records = records_of(
          {ChangeKind::created,
           student_id,
           std::nullopt,
           StudentSnapshot{student_id, *fields.first_name, *fields.last_name, *fields.grade},
           {},
           {},
           {},
           context.actor,
           context.request_id,
           context.traceparent});
    }
    // The records go to the store: a retry after a collision renders them anew for its id.
    store::InsertOutcome outcome =
        co_await store_.insert(student_id, fields, std::move(records), key);
    if (auto* student = std::get_if<Student>(&outcome)) {
      created_->Increment();
      written(options_.events_enabled);
      log::info("student created", {{"student_id", student->student_id}});
      co_return Created{std::move(*student), false};
    }
    if (std::holds_alternative<store::IdempotencyKeyTaken>(outcome)) {
      // A concurrent request with the same key committed first: answer as it did.
      if (auto answer = co_await answer_of_stored_key(*key)) {
        co_return std::move(*answer);
      }
      // The key is stored but expired: forget it, then store it anew with this student.
      co_await store_.forget_expired_key(key->key, options_.idempotency_ttl);
      continue;
    }
    // 32 random bits: a collision is rare but possible; draw a new id and try again.
    log::warn("student_id collision, retrying", {{"student_id", student_id}});
  }
  log::error("no free student_id", {{"attempts", kMaxIdAttempts}});
  co_return NoFreeStudentId{kMaxIdAttempts};
}

asio::awaitable<std::optional<Student>> StudentService::find(std::string student_id) {
  if (!can_exist(student_id)) {
    co_return std::nullopt;
  }
  co_return co_await store_.find(std::move(student_id));
}

asio::awaitable<store::ListOutcome> StudentService::list(domain::Page page) {
  co_return co_await store_.list(std::move(page));
}

asio::awaitable<std::optional<Student>> StudentService::update(std::string student_id,
                                                               domain::StudentFields fields,
                                                               WriteContext context) {
  if (!can_exist(student_id)) {
    co_return std::nullopt;
  }
  // Arguments of coroutine calls are named first: g++ 12 frees a temporary argument of a
  // coroutine call twice.
  std::optional<std::string> expected_updated_at;
  std::optional<store::OutboxRecords> records;
  std::optional<Student> student;
  if (!options_.events_enabled) {
    student = co_await store_.update(student_id, fields, expected_updated_at, records);
  } else {
    // The records describe the change from the row as read, so the write is a compare and
    // set on that row; a row changed meanwhile is read again.
    for (int attempt = 1; attempt <= kMaxWriteAttempts; ++attempt) {
      std::optional<Student> before = co_await store_.find(student_id);
      if (!before) {
        co_return std::nullopt;
      }
      records = records_of({ChangeKind::updated,
                            student_id,
                            snapshot(*before),
                            merged(snapshot(*before), fields),
                            {},
                            {},
                            {},
                            context.actor,
                            context.request_id,
                            context.traceparent});
      expected_updated_at = before->updated_at;
      student = co_await store_.update(student_id, fields, expected_updated_at, records);
      if (student) {
        break;
      }
      write_conflicts_->Increment();
      co_await pause_after_lost_race(attempt);
    }
    if (!student) {
      throw store::StoreUnavailable("the student kept changing during the update");
    }
  }
  if (!student) {
    co_return std::nullopt;
  }
  written(options_.events_enabled);
  if (changes_ != nullptr) {
    co_await changes_->student_changed(student_id);
  }
  log::info("student updated", {{"student_id", student_id}});
  co_return student;
}

asio::awaitable<bool> StudentService::remove(std::string student_id, WriteContext context) {
  if (!can_exist(student_id)) {
    co_return false;
  }
  // Named arguments, as in update().
  std::optional<std::string> expected_updated_at;
  std::optional<store::OutboxRecords> records;
  bool removed = false;
  if (!options_.events_enabled) {
    removed = co_await store_.remove(student_id, expected_updated_at, records);
  } else {
    bool conflicted = true;
    for (int attempt = 1; attempt <= kMaxWriteAttempts && conflicted; ++attempt) {
      std::optional<Student> before = co_await store_.find(student_id);
      if (!before) {
        co_return false;
      }
      records = records_of({ChangeKind::deleted,
                            student_id,
                            snapshot(*before),
                            std::nullopt,
                            {},
                            {},
                            {},
                            context.actor,
                            context.request_id,
                            context.traceparent});
      expected_updated_at = before->updated_at;
      removed = co_await store_.remove(student_id, expected_updated_at, records);
      conflicted = !removed;
      if (conflicted) {
        write_conflicts_->Increment();
        co_await pause_after_lost_race(attempt);
      }
    }
    if (conflicted) {
      throw store::StoreUnavailable("the student kept changing during the delete");
    }
  }
  if (!removed) {
    co_return false;
  }
  written(options_.events_enabled);
  if (changes_ != nullptr) {
    co_await changes_->student_changed(student_id);
  }
  log::info("student deleted", {{"student_id", student_id}});
  co_return true;
}

}  // namespace sre::students
