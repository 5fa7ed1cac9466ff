// For `serve`: brings the schema up to date at start-up (unless AUTO_MIGRATE=false), then
// says the service may turn ready.
//
// An embedded database (SQLite) is migrated at once, on the caller's thread; a failure throws
// and start-up fails. A database server (PostgreSQL) may come up after the service: it is
// migrated on a background thread that retries with backoff while the server is unreachable,
// so the API can start first and turn ready later; a tampered history calls on_fatal instead.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "store/database.h"

namespace sre::store {

class StartupMigration {
 public:
  using OnReady = std::function<void()>;
  using OnFatal = std::function<void(const std::string& error)>;

  StartupMigration(Database& database, bool auto_migrate)
      : database_(database), auto_migrate_(auto_migrate) {}
  ~StartupMigration();
  StartupMigration(const StartupMigration&) = delete;
  StartupMigration& operator=(const StartupMigration&) = delete;

  // Calls on_ready once the schema is up to date (from the background thread when there is
  // one), or on_fatal when it never will be.
  void start(OnReady on_ready, OnFatal on_fatal);
  // Stops the background migrator (if any) and waits for it: at most one connect timeout.
  // The callbacks are not called after stop() returns.
  void stop();

 private:
  void migrate_until_done(const OnReady& on_ready, const OnFatal& on_fatal);

  Database& database_;
  bool auto_migrate_;
  std::atomic<bool> stopping_{false};
  std::thread migrator_;
};

}  // namespace sre::store
