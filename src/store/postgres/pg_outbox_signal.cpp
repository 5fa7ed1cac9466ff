#include "store/postgres/pg_outbox_signal.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.h"
#include "store/postgres/pg_pool.h"

namespace sre::store {

namespace asio = boost::asio;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// Set when a connection's receive() has returned.
struct ReceiveEnded {
  explicit ReceiveEnded(const asio::any_io_executor& executor)
      : wake(executor, asio::steady_timer::time_point::max()) {}
  asio::steady_timer wake;  // cancelled when done turns true
  bool done = false;
};

// Log lines are written outside the coroutines: g++ 12 miscompiles a braced list of fields in
// a coroutine body.
void log_listening(int failures) {
  log::info("outbox signal listening", {{"failed_attempts", failures}});
}

void log_listen_failed(const PgError& error, int failures) {
  log::warn("outbox signal connect failed", {{"error", error.what()}, {"attempt", failures}});
}

void log_listen_lost(const std::string& reason) {
  log::warn("outbox signal connection lost", {{"reason", reason}});
}

}  // namespace

PgOutboxSignal::PgOutboxSignal(PgSettings settings, obs::Metrics& metrics)
    : settings_(std::move(settings)),
      sent_(prometheus::BuildCounter()
                .Name("outbox_signals_sent_total")
                .Help("NOTIFYs this process sent to tell others that outbox rows were committed")
                .Register(metrics.registry())
                .Add({})),
      received_(prometheus::BuildCounter()
                    .Name("outbox_signals_received_total")
                    .Help("NOTIFYs of outbox commits heard from other processes")
                    .Register(metrics.registry())
                    .Add({})),
      listening_(prometheus::BuildGauge()
                     .Name("outbox_signal_listening")
                     .Help("1 while this process LISTENs for other processes' outbox commits")
                     .Register(metrics.registry())
                     .Add({})) {
  settings_.application_name += " (outbox signal)";
}

void PgOutboxSignal::start(const asio::any_io_executor& executor, Listener heard) {
  executor_ = executor;
  heard_ = std::move(heard);
  started_.store(true, std::memory_order_release);
  asio::co_spawn(executor_, keep_listening(), asio::detached);
}

void PgOutboxSignal::announce() {
  if (!started_.load(std::memory_order_acquire) ||
      announcement_pending_.exchange(true, std::memory_order_acq_rel)) {
    return;  // not listening yet, or already on its way: this commit rides along
  }
  asio::co_spawn(executor_, send_announcement(), asio::detached);
}

void PgOutboxSignal::stop() {
  stopping_.store(true, std::memory_order_release);
  if (started_.load(std::memory_order_acquire)) {
    asio::post(executor_, [self = shared_from_this()] {
      if (self->connection_) {
        self->connection_->close("stopping");
      }
    });
  }
}

asio::awaitable<void> PgOutboxSignal::send_announcement() {
  auto self = shared_from_this();
  const auto due = last_sent_ + kAnnounceSpacing;
  if (std::chrono::steady_clock::now() < due) {
    asio::steady_timer spacing(executor_, due);
    co_await spacing.async_wait(nothrow);
  }
  // Cleared before sending: a commit from now on needs a signal of its own.
  announcement_pending_.store(false, std::memory_order_release);
  last_sent_ = std::chrono::steady_clock::now();
  auto connection = connection_;
  if (!connection || !connection->is_open()) {
    co_return;  // others find the rows at their next poll
  }
  try {
    const auto notify = PgConnection::single(PgStatementId::notify_outbox, {});
    co_await connection->execute(notify, settings_.statement_timeout);
    sent_.Increment();
  } catch (const PgError&) {
    // The connection is broken; keep_listening() notices, logs and reconnects.
  }
}

asio::awaitable<void> PgOutboxSignal::keep_listening() {
  auto self = shared_from_this();
  asio::steady_timer pause(executor_);
  int failures = 0;
  while (!stopping_.load(std::memory_order_acquire)) {
    auto connection = std::make_shared<PgConnection>(executor_, settings_);
    connection->on_notification([this, own = connection.get()](int sender_pid) {
      if (sender_pid != own->backend_pid()) {
        received_.Increment();
        heard_();
      }
    });
    // receive() reads the LISTEN's answer too, so it runs on its own from the start; `ended`
    // tells this loop when it has returned (the connection broke or was closed).
    const auto ended = std::make_shared<ReceiveEnded>(executor_);
    bool receiving = false;
    bool listening = false;
    try {
      co_await connection->open();
      asio::co_spawn(executor_, connection->receive(), [ended](const std::exception_ptr&) {
        ended->done = true;
        ended->wake.cancel();
      });
      receiving = true;
      const auto listen = PgConnection::single(PgStatementId::listen_outbox, {});
      co_await connection->execute(listen, settings_.statement_timeout);
      listening = true;
    } catch (const PgError& e) {
      ++failures;
      log_listen_failed(e, failures);
      connection->close(e.what());
    }
    if (listening) {
      connection_ = connection;
      listening_.Set(1);
      log_listening(failures);
      failures = 0;
    }
    while (receiving && !ended->done) {
      co_await ended->wake.async_wait(nothrow);
    }
    if (listening) {
      connection_.reset();
      listening_.Set(0);
      if (!stopping_.load(std::memory_order_acquire)) {
        log_listen_lost(connection->close_reason());
      }
    }
    if (stopping_.load(std::memory_order_acquire)) {
      break;
    }
    pause.expires_after(resilience::equal_jitter_backoff(kReconnectBackoff, failures,
                                                         resilience::thread_random01()));
    co_await pause.async_wait(nothrow);
  }
}

}  // namespace sre::store
