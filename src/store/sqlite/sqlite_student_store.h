// StudentStore and EventStore on an embedded SQLite file: the zero-dependency default of `make
// run`.
//
// SQLite calls block on disk, so they never run on I/O threads. One writer thread owns the
// only connection that writes (SQLite allows one writer at a time anyway, so a queue in front
// of it beats lock contention); a few reader threads, each with its own connection, serve
// reads in parallel thanks to WAL mode. Callers co_await; the result is delivered back on
// their own I/O thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace sre::store {

class SqliteWorker;

class SqliteStudentStore : public Database {
 public:
  SqliteStudentStore(std::string path, unsigned reader_threads);
  ~SqliteStudentStore() override;

  // Creates the schema or brings it up to date. Blocks; call at startup. Throws on a changed
  // checksum of an applied migration or when the file cannot be opened.
  int migrate() override;
  // What schema_migrations records (creating the empty table if needed). Blocks.
  std::vector<AppliedMigration> applied_migrations() override;
  const std::vector<Migration>& migrations() const override { return sqlite_migrations(); }
  std::string location() const override { return path_; }
  std::shared_ptr<prometheus::Collectable> metrics() const override { return nullptr; }
  // Processes sharing the file find each other's rows by polling.
  std::shared_ptr<OutboxSignal> outbox_signal(obs::Metrics& /*metrics*/) const override {
    return nullptr;
  }
  std::optional<resilience::BackoffPolicy> reconnect_backoff() const override {
    return std::nullopt;
  }

  boost::asio::awaitable<InsertOutcome> insert(std::string student_id, domain::StudentFields fields,
                                               std::optional<OutboxRecords> records,
                                               std::optional<IdempotencyKey> key) override;
  boost::asio::awaitable<std::optional<IdempotentAnswer>> find_idempotent_answer(
      std::string key, std::chrono::seconds ttl) override;
  boost::asio::awaitable<bool> forget_expired_key(std::string key,
                                                  std::chrono::seconds ttl) override;
  boost::asio::awaitable<std::int64_t> prune_idempotency_keys(std::chrono::seconds ttl) override;
  boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id) override;
  boost::asio::awaitable<ListOutcome> list(domain::Page page) override;
  boost::asio::awaitable<std::optional<domain::Student>> update(
      std::string student_id, domain::StudentFields fields,
      std::optional<std::string> expected_updated_at,
      std::optional<OutboxRecords> records) override;
  boost::asio::awaitable<bool> remove(std::string student_id,
                                      std::optional<std::string> expected_updated_at,
                                      std::optional<OutboxRecords> records) override;
  boost::asio::awaitable<void> ping() override;
  std::string_view engine() const override { return "sqlite"; }

  // EventStore (sqlite_event_store.cpp)
  boost::asio::awaitable<std::vector<OutboxMessage>> claim(OutboxTopic topic, int limit,
                                                           std::chrono::seconds lease) override;
  boost::asio::awaitable<std::int64_t> mark_delivered(OutboxTopic topic,
                                                      std::vector<std::int64_t> sequences) override;
  boost::asio::awaitable<std::int64_t> release(OutboxTopic topic,
                                               std::vector<std::int64_t> sequences) override;
  boost::asio::awaitable<std::int64_t> mark_undeliverable(OutboxTopic topic,
                                                          std::vector<std::int64_t> sequences,
                                                          std::string reason) override;
  boost::asio::awaitable<OutboxBacklog> backlog(OutboxTopic topic) override;
  boost::asio::awaitable<std::int64_t> prune_delivered(OutboxTopic topic,
                                                       std::chrono::seconds retention) override;
  boost::asio::awaitable<bool> apply_event(EventEffects effects) override;
  boost::asio::awaitable<std::vector<GradeEnrollment>> grade_enrollment() override;
  boost::asio::awaitable<std::int64_t> welcome_notifications() override;
  boost::asio::awaitable<std::vector<std::string>> audit_records(std::string student_id,
                                                                 int limit) override;

 private:
  SqliteWorker& next_reader();

  std::string path_;
  std::unique_ptr<SqliteWorker> writer_;
  std::vector<std::unique_ptr<SqliteWorker>> readers_;
  std::atomic<std::size_t> next_reader_{0};
};

}  // namespace sre::store
