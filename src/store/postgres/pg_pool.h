// The PostgreSQL connections of one I/O thread. Every I/O thread has its own pool and only
// that thread touches it: no locks, and a query's result is handled on the thread that asked.
//
// Each of the `pool_size` slots keeps one connection alive by itself: connect, serve until it
// breaks, wait (exponential backoff with jitter), connect again. Requests pick the open
// connection with the fewest batches in flight and pipeline onto it; they wait only while
// every connection is connecting or full, and fail fast (StoreUnavailable, so 503 +
// Retry-After) when none is open or coming: a request must never hang on a dead database.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <list>
#include <memory>
#include <vector>

#include "resilience/backoff.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_metrics.h"

namespace sre::store {

// Reconnect pace, for the pools and the start-up migrator: 100 ms doubling up to 1 s (equal
// jitter), so a database that comes back is noticed within about a second.
inline constexpr resilience::BackoffPolicy kReconnectBackoff{std::chrono::milliseconds(100),
                                                             std::chrono::milliseconds(1000)};

class PgPool : public std::enable_shared_from_this<PgPool> {
 public:
  // A connection has at most this many batches in flight; more requests wait for room.
  static constexpr std::size_t kMaxPipelineDepth = 128;

  PgPool(boost::asio::any_io_executor executor, const PgSettings& settings,
         std::shared_ptr<PgMetrics> metrics);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Starts connecting every slot. Call once, on the pool's thread.
  void start();
  // Whether a slot is open. The one member safe to call from another thread (readiness asks
  // every thread's pool).
  bool has_open_connection() const { return open_slots_.load(std::memory_order_relaxed) > 0; }
  // Runs one batch on some open connection, in a transaction of its own or, if `sharing`
  // allows, shared with other requests' batches (PgConnection::Sharing). Throws PgError (its
  // kind counted in db_errors_total and the duration observed per statement).
  boost::asio::awaitable<std::vector<PgResult>> execute(
      const std::vector<PgConnection::Command>& commands,
      PgConnection::Sharing sharing = PgConnection::Sharing::alone);

 private:
  enum class Phase { connecting, open, backoff };
  struct Slot {
    std::shared_ptr<PgConnection> connection;
    Phase phase = Phase::connecting;
    std::size_t in_flight = 0;
    PgConnectionState reported = PgConnectionState::connecting;  // what the gauge shows
  };

  boost::asio::awaitable<void> keep_connected(std::size_t index);
  boost::asio::awaitable<std::size_t> acquire();
  void set_phase(std::size_t index, Phase phase);
  void report(std::size_t index);
  void wake_waiters();

  boost::asio::any_io_executor executor_;
  const PgSettings settings_;
  std::shared_ptr<PgMetrics> metrics_;
  std::vector<Slot> slots_;
  std::atomic<std::size_t> open_slots_{0};         // slots in Phase::open, for other threads
  std::list<boost::asio::steady_timer*> waiters_;  // requests waiting for a usable connection
  // The last connection attempt found the tables missing: requests are told to migrate.
  bool schema_missing_ = false;
};

}  // namespace sre::store
