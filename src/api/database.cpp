#include "api/database.h"

#include <chrono>
#include <filesystem>

#include "core/log.h"
#include "store/postgres/pg_error.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_pool.h"
#include "store/postgres/pg_student_store.h"
#include "store/sqlite/sqlite_student_store.h"

namespace sre::api {

namespace {

// How often the startup migrator re-checks whether it should give up (shutdown requested).
constexpr std::chrono::milliseconds kStopPollInterval{50};

}  // namespace

store::PgSettings pg_settings(const core::Config& config) {
  store::PgSettings settings;
  settings.url = config.database_url;
  settings.pool_size = config.db_pool_size;
  settings.statement_timeout = std::chrono::milliseconds(config.db_statement_timeout_ms);
  settings.connect_timeout = std::chrono::milliseconds(config.db_connect_timeout_ms);
  settings.application_name = config.app_name;
  return settings;
}

Database::Database(const core::Config& config) : config_(config) {
  if (config_.uses_postgres()) {
    auto pg = std::make_unique<store::PgStudentStore>(pg_settings(config_));
    metrics_ = pg->metrics();
    store_ = std::move(pg);
  } else {
    store_ = std::make_unique<store::SqliteStudentStore>(config_.sqlite_path(), config_.db_threads);
  }
}

Database::~Database() {
  stop_preparing_schema();
}

void Database::stop_preparing_schema() {
  stopping_ = true;
  if (migrator_.joinable()) {
    migrator_.join();
  }
}

std::string Database::location() const {
  return config_.uses_postgres() ? core::redact_url(config_.database_url) : config_.sqlite_path();
}

const std::vector<store::Migration>& Database::migrations() const {
  return config_.uses_postgres() ? store::postgres_migrations() : store::sqlite_migrations();
}

int Database::migrate() {
  if (config_.uses_postgres()) {
    return store::apply_pg_migrations(pg_settings(config_));
  }
  auto& sqlite = static_cast<store::SqliteStudentStore&>(*store_);
  auto before = sqlite.applied_migrations().size();
  sqlite.migrate();
  return static_cast<int>(sqlite.applied_migrations().size() - before);
}

std::vector<store::AppliedMigration> Database::applied_migrations() {
  if (config_.uses_postgres()) {
    return store::pg_applied_migrations(pg_settings(config_));
  }
  return static_cast<store::SqliteStudentStore&>(*store_).applied_migrations();
}

void Database::prepare_schema(std::function<void()> on_ready,
                              std::function<void(const std::string&)> on_fatal) {
  if (!config_.auto_migrate) {
    log::info("AUTO_MIGRATE=false: not applying migrations", {{"database", location()}});
    on_ready();
    return;
  }
  if (!config_.uses_postgres()) {
    migrate();
    on_ready();
    return;
  }
  migrator_ = std::thread([this, on_ready = std::move(on_ready), on_fatal = std::move(on_fatal)] {
    migrate_in_background(on_ready, on_fatal);
  });
}

void Database::migrate_in_background(const std::function<void()>& on_ready,
                                     const std::function<void(const std::string&)>& on_fatal) {
  for (int failures = 0; !stopping_; ++failures) {
    try {
      int applied = migrate();
      log::info("schema up to date", {{"database", location()}, {"applied", applied}});
      on_ready();
      return;
    } catch (const store::MigrationTampered& e) {
      on_fatal(e.what());
      return;
    } catch (const store::PgError& e) {
      if (!e.is_transient()) {
        on_fatal(e.what());
        return;
      }
      if (failures % 20 == 0) {
        log::warn("database not reachable yet: will migrate when it is",
                  {{"database", location()}, {"error", e.what()}, {"attempt", failures + 1}});
      }
    }
    auto until = std::chrono::steady_clock::now() +
                 resilience::equal_jitter_backoff(store::kReconnectBackoff, failures,
                                                  resilience::thread_random01());
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(kStopPollInterval);
    }
  }
}

}  // namespace sre::api
