// The database behind the API, chosen by DATABASE_URL: which StudentStore to build, how to
// bring its schema up to date, and, for `serve`, when the service may call itself ready.
//
//   unset / sqlite:///path         SqliteStudentStore (embedded file, the default)
//   postgresql://... / postgres://  PgStudentStore (per-thread pipelined pools on the I/O loop)
#pragma once

#include <prometheus/collectable.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "store/migrations.h"
#include "store/postgres/pg_settings.h"
#include "store/student_store.h"

namespace sre::api {

store::PgSettings pg_settings(const core::Config& config);

class Database {
 public:
  // Builds the store; touches nothing on disk or the network yet.
  explicit Database(const core::Config& config);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  store::StudentStore& store() { return *store_; }
  bool is_postgres() const { return config_.uses_postgres(); }
  // The driver's own metrics, to render with the service's; null for SQLite.
  std::shared_ptr<prometheus::Collectable> metrics() const { return metrics_; }
  // Where the data is, for logs: the SQLite path or the PostgreSQL URL without its password.
  std::string location() const;

  // Applies pending migrations now, blocking; returns how many. Throws on failure
  // (store::MigrationTampered when an applied migration was edited).
  int migrate();
  // What schema_migrations records. Blocking; throws on failure.
  std::vector<store::AppliedMigration> applied_migrations();
  const std::vector<store::Migration>& migrations() const;

  // For `serve`: brings the schema up to date (unless AUTO_MIGRATE=false), then calls
  // on_ready. SQLite: at once, on the caller's thread (throws on failure). PostgreSQL: on a
  // background thread that retries with backoff while the database is unreachable, so the API
  // can start before its database; a tampered history calls on_fatal instead.
  void prepare_schema(std::function<void()> on_ready,
                      std::function<void(const std::string&)> on_fatal);
  // Stops the background migrator (if any) and waits for it: at most one connect timeout.
  void stop_preparing_schema();

 private:
  void migrate_in_background(const std::function<void()>& on_ready,
                             const std::function<void(const std::string&)>& on_fatal);

  core::Config config_;
  std::unique_ptr<store::StudentStore> store_;
  std::shared_ptr<prometheus::Collectable> metrics_;
  std::atomic<bool> stopping_{false};
  std::thread migrator_;
};

}  // namespace sre::api
