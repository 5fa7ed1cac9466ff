#include "store/postgres/pg_pool.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.h"

namespace sre::store {

namespace asio = boost::asio;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// While the database stays unreachable, log the 1st failed attempt and then every 20th
// (about every 20 s at the 1 s backoff cap), not every attempt of every connection.
constexpr int kLogEveryNthFailure = 20;
// The server cancels a statement at statement_timeout; a batch with no answer at all a second
// later means the server or the network is gone, and the connection is given up.
constexpr std::chrono::milliseconds kAnswerGrace{1000};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

PgPool::PgPool(asio::any_io_executor executor, const PgSettings& settings,
               std::shared_ptr<PgMetrics> metrics)
    : executor_(std::move(executor)),
      settings_(settings),
      metrics_(std::move(metrics)),
      slots_(std::max(1U, settings.pool_size)) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    metrics_->connection_added(PgConnectionState::connecting);
  }
}

PgPool::~PgPool() {
  for (auto& slot : slots_) {
    metrics_->connection_removed(slot.reported);
  }
}

void PgPool::start() {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    asio::co_spawn(executor_, keep_connected(i), asio::detached);
  }
}

asio::awaitable<void> PgPool::keep_connected(std::size_t index) {
  auto self = shared_from_this();
  asio::steady_timer pause(executor_);
  int failures = 0;
  for (;;) {
    set_phase(index, Phase::connecting);
    // `self` keeps the pool alive for as long as this loop runs.
    auto connection =
        std::make_shared<PgConnection>(self->executor_, self->settings_, self->metrics_);
    slots_[index].connection = connection;
    bool opened = false;
    try {
      co_await connection->open();
      opened = true;
    } catch (const PgError& e) {
      // Preparing the statements fails this way while the tables are not there.
      schema_missing_ = e.sqlstate() == kUndefinedTable;
      metrics_->count_error(e.kind() == PgErrorKind::timeout ? PgErrorKind::timeout
                                                             : PgErrorKind::connect);
      if (failures % kLogEveryNthFailure == 0) {
        log::warn("database connect failed",
                  {{"error", e.what()}, {"kind", to_string(e.kind())}, {"attempt", failures + 1}});
      }
      connection->close(e.what());
    }

    if (opened) {
      if (failures > 0) {
        log::info("database connection restored", {{"failed_attempts", failures}});
      }
      failures = 0;
      schema_missing_ = false;
      set_phase(index, Phase::open);
      wake_waiters();
      co_await connection->receive();  // until the connection breaks
      metrics_->count_error(PgErrorKind::connect);
      log::warn("database connection lost", {{"reason", connection->close_reason()}});
    } else {
      ++failures;
    }

    // Waiters must not keep waiting for this slot: they fail fast or pick another one.
    set_phase(index, Phase::backoff);
    wake_waiters();
    pause.expires_after(resilience::equal_jitter_backoff(kReconnectBackoff, failures,
                                                         resilience::thread_random01()));
    co_await pause.async_wait(nothrow);
  }
}

asio::awaitable<std::size_t> PgPool::acquire() {
  auto deadline = std::chrono::steady_clock::now() + settings_.connect_timeout;
  for (;;) {
    std::size_t best = slots_.size();
    bool coming = false;  // a connection is connecting, or open but full: worth waiting for
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const Slot& slot = slots_[i];
      if (slot.phase == Phase::connecting) {
        coming = true;
      } else if (slot.phase == Phase::open && slot.connection->is_open()) {
        if (slot.in_flight < kMaxPipelineDepth) {
          if (best == slots_.size() || slot.in_flight < slots_[best].in_flight) {
            best = i;
          }
        } else {
          coming = true;
        }
      }
    }
    if (best != slots_.size()) {
      co_return best;
    }
    if (!coming) {
      if (schema_missing_) {
        throw PgError(PgErrorKind::other, "the schema is missing (connections cannot prepare)",
                      std::string(kUndefinedTable));
      }
      throw PgError(PgErrorKind::connect, "no open database connection (reconnecting)");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw PgError(PgErrorKind::timeout,
                    "timed out waiting for a database connection (pool exhausted)");
    }
    asio::steady_timer wake(executor_, deadline);
    waiters_.push_back(&wake);
    auto position = std::prev(waiters_.end());
    metrics_->waiter_added();
    co_await wake.async_wait(nothrow);  // cancelled by wake_waiters(), or the deadline
    metrics_->waiter_removed();
    waiters_.erase(position);
  }
}

asio::awaitable<std::vector<PgResult>> PgPool::execute(
    const std::vector<PgConnection::Command>& commands, PgConnection::Sharing sharing) {
  auto self = shared_from_this();
  auto started = std::chrono::steady_clock::now();
  try {
    std::size_t index = co_await acquire();
    auto connection = slots_[index].connection;  // keep it alive while we wait on it
    ++slots_[index].in_flight;
    report(index);
    std::optional<PgError> failure;
    std::vector<PgResult> results;
    try {
      results = co_await connection->execute(commands, settings_.statement_timeout + kAnswerGrace,
                                             sharing);
    } catch (const PgError& e) {
      failure = e;
    }
    --slots_[index].in_flight;
    report(index);
    if (slots_[index].in_flight < kMaxPipelineDepth) {
      wake_waiters();
    }
    if (failure) {
      throw *failure;
    }
    metrics_->observe_query(commands.front().statement, seconds_since(started));
    co_return results;
  } catch (const PgError& e) {
    metrics_->count_error(e.kind());
    throw;
  }
}

void PgPool::set_phase(std::size_t index, Phase phase) {
  const bool was_open = slots_[index].phase == Phase::open;
  slots_[index].phase = phase;
  if (!was_open && phase == Phase::open) {
    open_slots_.fetch_add(1, std::memory_order_relaxed);
  } else if (was_open && phase != Phase::open) {
    open_slots_.fetch_sub(1, std::memory_order_relaxed);
  }
  report(index);
}

void PgPool::report(std::size_t index) {
  Slot& slot = slots_[index];
  PgConnectionState state = PgConnectionState::backoff;
  switch (slot.phase) {
    case Phase::connecting:
      state = PgConnectionState::connecting;
      break;
    case Phase::open:
      state = slot.in_flight > 0 ? PgConnectionState::busy : PgConnectionState::idle;
      break;
    case Phase::backoff:
      state = PgConnectionState::backoff;
      break;
  }
  metrics_->connection_moved(slot.reported, state);
  slot.reported = state;
}

void PgPool::wake_waiters() {
  for (auto* waiter : waiters_) {
    waiter->cancel();
  }
}

}  // namespace sre::store
