// The database behind the service: the students and the events that hang off them
// (StudentStore, EventStore), and the schema of both. Built by
// open_database() from DATABASE_URL; `serve` and `migrate` use it without knowing the engine.
//
//   unset / sqlite:///path          SqliteStudentStore (embedded file, the default)
//   postgresql://... / postgres://  PgStudentStore (per-thread pipelined pools on the I/O loop)
#pragma once

#include <prometheus/collectable.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "obs/metrics.h"
#include "resilience/backoff.h"
#include "store/event_store.h"
#include "store/migrations.h"
#include "store/outbox_signal.h"
#include "store/student_store.h"

namespace sre::store {

class Database : public StudentStore, public EventStore {
 public:
  // Applies pending migrations now, blocking; returns how many. Throws StoreUnavailable while
  // the database cannot be reached, MigrationTampered when an applied migration was edited,
  // anything else on other failures.
  virtual int migrate() = 0;
  // What schema_migrations records. Blocking; throws on failure.
  virtual std::vector<AppliedMigration> applied_migrations() = 0;
  // The migrations this build ships for the engine.
  virtual const std::vector<Migration>& migrations() const = 0;

  // Where the data is, for logs: the SQLite path or the PostgreSQL URL without its password.
  virtual std::string location() const = 0;
  // The driver's own metrics, to render with the service's; null when it has none.
  virtual std::shared_ptr<prometheus::Collectable> metrics() const = 0;
  // For a database server, which may come up after the service does: how patiently to retry
  // reaching it (`serve` then migrates in the background). nullopt for an embedded database,
  // which is there or not: start-up migrates at once and fails if it cannot.
  virtual std::optional<resilience::BackoffPolicy> reconnect_backoff() const = 0;
  // A new cross-process signal of outbox commits (see OutboxSignal), its metrics registered in
  // `metrics`; null when the engine has none (SQLite).
  virtual std::shared_ptr<OutboxSignal> outbox_signal(obs::Metrics& metrics) const = 0;
};

}  // namespace sre::store
