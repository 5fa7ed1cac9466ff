// The PostgreSQL driver's metrics, lock-free like obs::HttpMetrics (prometheus-cpp's
// Histogram::Observe takes a mutex): plain atomics and obs::Histogram updated by every I/O
// thread's pool, turned into Prometheus families at scrape time.
//
//   db_pool_connections{state}          gauge: connecting, idle, busy (queries in flight),
//                                        backoff (waiting to reconnect)
//   db_pool_waiters                      gauge: requests waiting for a usable connection
//   db_query_duration_seconds{statement} histogram: send to last result, per prepared statement
//   db_errors_total{kind}                counter: connect, timeout, constraint, other
//   db_requests_per_sync                 histogram: batches (requests) that shared one Sync,
//                                        so one transaction and one flush (PgConnection)
//   db_requests_resent_total             counter: requests whose statements were sent again
//                                        alone: another's error undid the transaction they shared
#pragma once

#include <prometheus/collectable.h>

#include <array>
#include <atomic>
#include <cstdint>

#include "obs/histogram.h"
#include "store/postgres/pg_error.h"
#include "store/postgres/pg_statements.h"

namespace sre::store {

enum class PgConnectionState { connecting, idle, busy, backoff };
inline constexpr std::size_t kPgConnectionStates = 4;

class PgMetrics : public prometheus::Collectable {
 public:
  static constexpr std::array<double, 13> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0};
  static constexpr std::array<double, 8> kSyncBuckets = {1, 2, 4, 8, 16, 32, 64, 128};

  void connection_moved(PgConnectionState from, PgConnectionState to);
  void connection_added(PgConnectionState state);
  void connection_removed(PgConnectionState state);
  void waiter_added() { waiters_.fetch_add(1, std::memory_order_relaxed); }
  void waiter_removed() { waiters_.fetch_sub(1, std::memory_order_relaxed); }
  void observe_query(PgStatementId statement, double seconds);
  void count_error(PgErrorKind kind);
  void observe_sync(std::size_t batches) { per_sync_.observe(static_cast<double>(batches)); }
  void count_resent_request() { resent_requests_.fetch_add(1, std::memory_order_relaxed); }

  std::int64_t waiters() const { return waiters_.load(std::memory_order_relaxed); }
  std::int64_t connections(PgConnectionState state) const {
    return connections_[static_cast<std::size_t>(state)].load(std::memory_order_relaxed);
  }

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::array<std::atomic<std::int64_t>, kPgConnectionStates> connections_{};
  std::atomic<std::int64_t> waiters_{0};
  std::array<obs::Histogram<kBuckets>, kPgStatements> queries_{};
  std::array<std::atomic<std::uint64_t>, kPgErrorKinds> errors_{};
  obs::Histogram<kSyncBuckets> per_sync_;
  std::atomic<std::uint64_t> resent_requests_{0};
};

}  // namespace sre::store
