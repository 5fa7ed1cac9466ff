// StudentStore and EventStore on PostgreSQL: selected with DATABASE_URL=postgresql://... (or
// postgres://).
//
// Every I/O thread gets its own PgPool the first time it uses the store (see pool()), so a
// query is sent, and its result handled, on the thread of the request that asked, with no
// lock anywhere. The outbox relay's statements (claims, deliveries, backlog counts, pruning)
// go to a second pool of one connection on the thread that runs the relay, and never share a
// connection with requests: a backlog count or a prune scans a whole table, and on a request
// connection, whose statements are pipelined, every request sent after it waited for it (a
// count over 100,000 undelivered rows took 160 ms; one stuck on a lock, the statement timeout).
#pragma once

#include <atomic>
#include <memory>
#include <optional>

#include "core/per_thread.h"
#include "store/database.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_metrics.h"
#include "store/postgres/pg_settings.h"

namespace sre::store {

class PgPool;

class PgStudentStore : public Database {
 public:
  explicit PgStudentStore(PgSettings settings);
  ~PgStudentStore() override;

  // With ordinary blocking libpq (the `migrate` command or a start-up thread, never an I/O
  // thread); an unreachable server throws StoreUnavailable.
  int migrate() override;
  std::vector<AppliedMigration> applied_migrations() override;
  const std::vector<Migration>& migrations() const override { return postgres_migrations(); }
  std::string location() const override;
  // The driver's metrics (pool, query durations, errors), to register with the service's.
  std::shared_ptr<prometheus::Collectable> metrics() const override { return metrics_; }
  std::optional<resilience::BackoffPolicy> reconnect_backoff() const override;
  std::shared_ptr<OutboxSignal> outbox_signal(obs::Metrics& metrics) const override;

  // StudentStore (pg_student_store.cpp)
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
  // Among the threads whose request pool exists (every I/O thread once `serve` has warmed
  // up), one with no open connection: after an outage each pool reconnects after its own
  // backoff (up to 1 s), and until the last has, some requests still fail.
  std::optional<unsigned> thread_without_connection() const override;
  std::string_view engine() const override { return "postgresql"; }

  // EventStore (pg_event_store.cpp)
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
  // Which of the thread's pools a statement goes to.
  enum class Lane { requests, relay };

  // Runs one batch on this thread's pool of `lane`; turns transient failures into
  // StoreUnavailable.
  boost::asio::awaitable<std::vector<PgResult>> run(
      const std::vector<PgConnection::Command>& commands,
      PgConnection::Sharing sharing = PgConnection::Sharing::alone, Lane lane = Lane::requests);
  PgPool& pool(const boost::asio::any_io_executor& executor, Lane lane);

  PgSettings settings_;
  PgSettings relay_settings_;  // one connection, application_name "... (relay)"
  std::shared_ptr<PgMetrics> metrics_;
  // Created on first use on each I/O thread, owned by that thread's event loop.
  // Atomic because readiness reads every thread's request pool (thread_without_connection());
  // each slot is written once, by its own thread.
  core::PerThread<std::atomic<PgPool*>> pools_{core::kMaxIoThreads, nullptr};
  core::PerThread<std::atomic<PgPool*>> relay_pools_{core::kMaxIoThreads, nullptr};
};

}  // namespace sre::store
