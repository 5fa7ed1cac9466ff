#include "store/startup_migration.h"

#include <chrono>

#include "core/log.h"
#include "resilience/backoff.h"

namespace sre::store {

namespace {

// How often the migrator re-checks whether it should give up (shutdown requested).
constexpr std::chrono::milliseconds kStopPollInterval{50};

}  // namespace

StartupMigration::~StartupMigration() {
  stop();
}

void StartupMigration::start(OnReady on_ready, OnFatal on_fatal) {
  if (!auto_migrate_) {
    log::info("AUTO_MIGRATE=false: not applying migrations", {{"database", database_.location()}});
    on_ready();
    return;
  }
  if (!database_.reconnect_backoff()) {
    database_.migrate();
    on_ready();
    return;
  }
  migrator_ = std::thread([this, on_ready = std::move(on_ready), on_fatal = std::move(on_fatal)] {
    migrate_until_done(on_ready, on_fatal);
  });
}

void StartupMigration::stop() {
  stopping_ = true;
  if (migrator_.joinable()) {
    migrator_.join();
  }
}

void StartupMigration::migrate_until_done(const OnReady& on_ready, const OnFatal& on_fatal) {
  const resilience::BackoffPolicy backoff = *database_.reconnect_backoff();
  for (int failures = 0; !stopping_; ++failures) {
    try {
      int applied = database_.migrate();
      log::info("schema up to date", {{"database", database_.location()}, {"applied", applied}});
      on_ready();
      return;
    } catch (const StoreUnavailable& e) {
      if (failures % 20 == 0) {
        log::warn(
            "database not reachable yet: will migrate when it is",
            {{"database", database_.location()}, {"error", e.what()}, {"attempt", failures + 1}});
      }
    } catch (const std::exception& e) {  // MigrationTampered, SQL errors: a human decides
      on_fatal(e.what());
      return;
    }
    auto until = std::chrono::steady_clock::now() +
                 resilience::equal_jitter_backoff(backoff, failures, resilience::thread_random01());
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(kStopPollInterval);
    }
  }
}

}  // namespace sre::store
