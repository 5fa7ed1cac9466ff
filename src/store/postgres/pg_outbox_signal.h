// OutboxSignal on PostgreSQL: LISTEN/NOTIFY on one connection of its own.
//
//   start()     connect, LISTEN sre_playground_outbox, then hand each NOTIFY from another
//               session to the listener; when the connection breaks, back off and do it again
//   announce()  SELECT pg_notify(...) on that same connection, at most one every
//               kAnnounceSpacing: a burst of commits becomes one signal
//
// Why not NOTIFY inside each write's transaction: PostgreSQL serialises the commits of all
// transactions that notify (one lock for the whole queue, held through the commit's WAL flush),
// which would undo the group commit that pipelined writes get. A separate NOTIFY, spaced out,
// costs one small transaction per burst instead. Our own announcements come back to us too;
// they are skipped (this process has already woken its relay).
//
// Metrics: outbox_signals_sent_total, outbox_signals_received_total (other processes'),
// outbox_signal_listening (1 while LISTEN is in force).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>

#include "obs/metrics.h"
#include "store/outbox_signal.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_settings.h"

namespace sre::store {

class PgOutboxSignal : public OutboxSignal, public std::enable_shared_from_this<PgOutboxSignal> {
 public:
  // The freshness a burst of commits may lose for the sake of fewer signals.
  static constexpr std::chrono::milliseconds kAnnounceSpacing{10};

  PgOutboxSignal(PgSettings settings, obs::Metrics& metrics);

  void start(const boost::asio::any_io_executor& executor, Listener heard) override;
  void announce() override;
  void stop() override;

 private:
  boost::asio::awaitable<void> keep_listening();
  boost::asio::awaitable<void> send_announcement();

  PgSettings settings_;
  prometheus::Counter& sent_;
  prometheus::Counter& received_;
  prometheus::Gauge& listening_;

  boost::asio::any_io_executor executor_;
  Listener heard_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> announcement_pending_{false};
  // On the executor's thread only.
  std::shared_ptr<PgConnection> connection_;  // null while (re)connecting
  std::chrono::steady_clock::time_point last_sent_{};
};

}  // namespace sre::store
