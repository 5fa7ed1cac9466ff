// Where students live: one interface, two engines (SQLite, the embedded default, and
// PostgreSQL). The student service is its only caller; it never sees which engine answers.
//
// Every method is a coroutine: an implementation must never block the calling I/O thread
// (SQLite hands the work to its own threads; PostgreSQL waits on its socket in the loop).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/errors.h"
#include "domain/student.h"
#include "domain/validation.h"

namespace sre::store {

// The store cannot answer right now (database down, locked, disk full). Handlers turn this
// into 503 + Retry-After: the client may retry, nothing was half-done.
class StoreUnavailable : public core::DependencyUnavailable {
 public:
  explicit StoreUnavailable(const std::string& message)
      : core::DependencyUnavailable("database", message) {}

 protected:
  StoreUnavailable(const std::string& message, std::string detail)
      : core::DependencyUnavailable("database", message, std::chrono::seconds(1),
                                    std::move(detail)) {}
};

// The database answers but its tables are not there: nothing was migrated (AUTO_MIGRATE=false
// and no `sre-playground migrate` yet). Answered 503 like any outage, but naming the fix,
// since only an operator can make it go away.
class SchemaMissing : public StoreUnavailable {
 public:
  static constexpr std::string_view kDetail =
      "Database schema missing: run `sre-playground migrate`";
  explicit SchemaMissing(const std::string& message)
      : StoreUnavailable(message, std::string(kDetail)) {}
};

// The outbox rows of one change (domain::render_event, domain::render_audit_record), written
// in the same transaction as the student row: both commit with it or not at all.
struct OutboxRecords {
  std::string event_id;
  std::string event_type;
  std::string event_body;
  std::string audit_id;
  std::string audit_record;
};

// An Idempotency-Key and what the request asked for (its validated fields, in a canonical
// form): the same key must come with the same request.
struct IdempotencyKey {
  std::string key;
  std::string request_fingerprint;
};

// What a stored key answers: the request it came with and the student as first created.
struct IdempotentAnswer {
  std::string request_fingerprint;
  domain::Student student;
};

// insert() wrote nothing because the public id is taken: draw another.
struct StudentIdTaken {};
// insert() wrote nothing because the idempotency key is stored already (an earlier request,
// or a concurrent one that committed first): look the key up.
struct IdempotencyKeyTaken {};
using InsertOutcome = std::variant<domain::Student, StudentIdTaken, IdempotencyKeyTaken>;

// One page of the list, and whether students follow it (so the API links a next page only
// when there is one). The students point into `rows` (the database's result, or the engine's
// own copy), which the page keeps alive: a page is rendered without copying each row first.
struct StudentPage {
  std::vector<domain::StudentView> students;
  bool more = false;
  std::shared_ptr<const void> rows;
};
// list() wrote no page because no student has the page's `after` id: it was deleted since
// the client read it, or never existed. Answering an empty page instead would end a walk
// early without saying so.
struct UnknownCursor {};
using ListOutcome = std::variant<StudentPage, UnknownCursor>;

class StudentStore {
 public:
  virtual ~StudentStore() = default;

  // Inserts a student under the public id the caller chose; `fields` has all three fields
  // set. Assigns id and timestamps. With `records`, writes them in the same transaction; with
  // `key`, stores the key and the created student in it too.
  virtual boost::asio::awaitable<InsertOutcome> insert(std::string student_id,
                                                       domain::StudentFields fields,
                                                       std::optional<OutboxRecords> records,
                                                       std::optional<IdempotencyKey> key) = 0;
  // The answer stored under `key`, unless it is older than `ttl` (an expired key is unknown).
  virtual boost::asio::awaitable<std::optional<IdempotentAnswer>> find_idempotent_answer(
      std::string key, std::chrono::seconds ttl) = 0;
  // Deletes `key` if it is older than `ttl`, so that it can be stored again; whether it did.
  virtual boost::asio::awaitable<bool> forget_expired_key(std::string key,
                                                          std::chrono::seconds ttl) = 0;
  // Deletes every key older than `ttl`; returns how many.
  virtual boost::asio::awaitable<std::int64_t> prune_idempotency_keys(std::chrono::seconds ttl) = 0;
  virtual boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id) = 0;
  // Ordered by id, so pages are stable while students are added. With `page.after`, the
  // students whose id is greater than that student's (keyset paging: an index range, whatever
  // the depth); otherwise `page.skip` rows are stepped over first (OFFSET: costs the skip).
  virtual boost::asio::awaitable<ListOutcome> list(domain::Page page) = 0;
  // Changes the fields that are set and bumps updated_at, writing `records` in the same
  // transaction. With `expected_updated_at`, only if the row still has that updated_at (the
  // caller rendered `records` from the row it read: compare and set). nullopt when no row
  // matched: no such student, or it changed since it was read.
  virtual boost::asio::awaitable<std::optional<domain::Student>> update(
      std::string student_id, domain::StudentFields fields,
      std::optional<std::string> expected_updated_at, std::optional<OutboxRecords> records) = 0;
  // Deletes the student and writes `records` in the same transaction; `expected_updated_at` as
  // for update(). False when no row matched.
  virtual boost::asio::awaitable<bool> remove(std::string student_id,
                                              std::optional<std::string> expected_updated_at,
                                              std::optional<OutboxRecords> records) = 0;
  // Throws StoreUnavailable unless the database answers a trivial query (through the calling
  // thread's connections, where a store has connections per thread).
  virtual boost::asio::awaitable<void> ping() = 0;
  // An I/O thread whose own connections are all down, if any: its requests fail while another
  // thread's succeed (PostgreSQL's pools reconnect each at its own pace). Safe from any thread.
  virtual std::optional<unsigned> thread_without_connection() const { return std::nullopt; }

  virtual std::string_view engine() const = 0;
};

}  // namespace sre::store
