// StudentStore on PostgreSQL: selected with DATABASE_URL=postgresql://... (or postgres://).
//
// Every I/O thread gets its own PgPool the first time it uses the store (see pool()), so a
// query is sent, and its result handled, on the thread of the request that asked, with no
// lock anywhere. Concurrent updates of one student: last write wins (each update is one
// atomic statement; the row lock orders them).
#pragma once

#include <memory>

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

  boost::asio::awaitable<std::optional<domain::Student>> insert(
      std::string student_id, domain::StudentFields fields) override;
  boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id) override;
  boost::asio::awaitable<std::vector<domain::Student>> list(domain::Page page) override;
  boost::asio::awaitable<std::optional<domain::Student>> update(
      std::string student_id, domain::StudentFields fields) override;
  boost::asio::awaitable<bool> remove(std::string student_id) override;
  boost::asio::awaitable<void> ping() override;
  std::string_view engine() const override { return "postgresql"; }

 private:
  // Runs one batch on this thread's pool; turns transient failures into StoreUnavailable.
  boost::asio::awaitable<std::vector<PgResult>> run(
      const std::vector<PgConnection::Command>& commands);
  PgPool& pool(const boost::asio::any_io_executor& executor);

  PgSettings settings_;
  std::shared_ptr<PgMetrics> metrics_;
  // Created on first use on each I/O thread, owned by that thread's event loop.
  core::PerThread<PgPool*> pools_{core::kMaxIoThreads, nullptr};
};

}  // namespace sre::store
