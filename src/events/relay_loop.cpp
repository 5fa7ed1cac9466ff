#include "events/relay_loop.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.h"
#include "resilience/backoff.h"

namespace sre::events {

namespace asio = boost::asio;
using store::OutboxMessage;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// Log lines are written outside the coroutines: g++ 12 miscompiles a braced list of fields in
// a coroutine body.
void log_prepare_failed(const Destination& destination, const aws::AwsError& error,
                        std::chrono::milliseconds retry_in) {
  log::warn("outbox destination not ready", {{"destination", destination.name()},
                                             {"code", error.code},
                                             {"error", error.message},
                                             {"retry_in_ms", retry_in.count()}});
}

void log_ready(const Destination& destination, store::OutboxTopic topic) {
  log::info("outbox relay ready",
            {{"destination", destination.name()}, {"topic", to_string(topic)}});
}

void log_store_failed(std::string_view step, store::OutboxTopic topic, const std::exception& e) {
  log::warn("outbox relay store call failed",
            {{"step", step}, {"topic", to_string(topic)}, {"error", e.what()}});
}

void log_delivery_failed(const Destination& destination, const Delivery& delivery,
                         std::chrono::milliseconds retry_in) {
  log::warn("outbox delivery failed",
            {{"destination", destination.name()},
             {"code", delivery.call_error ? delivery.call_error->code : "PartialFailure"},
             {"error", delivery.call_error ? delivery.call_error->message : ""},
             {"rows_failed", delivery.failed.size()},
             {"rows_delivered", delivery.delivered.size()},
             {"retry_in_ms", retry_in.count()}});
}

void log_refused(const Destination& destination, std::int64_t sequence, const std::string& why) {
  log::error("outbox row refused for good",
             {{"destination", destination.name()}, {"sequence", sequence}, {"reason", why}});
}

void log_breaker(const std::string& name, const resilience::BreakerTransition& transition) {
  log::write(transition.to == resilience::BreakerState::open ? log::Level::warn : log::Level::info,
             "circuit breaker transition",
             {{"breaker", name},
              {"from", resilience::to_string(transition.from)},
              {"to", resilience::to_string(transition.to)},
              {"reason", resilience::to_string(transition.reason)}});
}

void log_unexpected(const Destination& destination, const char* what) {
  log::error("outbox delivery threw", {{"destination", destination.name()}, {"error", what}});
}

void merge(Delivery& into, const Delivery& from) {
  into.delivered.insert(into.delivered.end(), from.delivered.begin(), from.delivered.end());
  into.failed.insert(into.failed.end(), from.failed.begin(), from.failed.end());
  into.refused.insert(into.refused.end(), from.refused.begin(), from.refused.end());
  if (from.call_error && !into.call_error) {
    into.call_error = from.call_error;
  }
}

}  // namespace

RelayLoop::RelayLoop(store::OutboxTopic topic, Destination& destination, store::EventStore& store,
                     const RelayOptions& options, obs::Metrics& metrics)
    : topic_(topic),
      destination_(destination),
      store_(store),
      options_(options),
      metrics_(metrics, destination.name()),
      breaker_(destination.name(), options.breaker) {
  breaker_.set_listener([this](const resilience::BreakerTransition& transition) {
    metrics_.transition(transition);
    log_breaker(breaker_.name(), transition);
  });
}

void RelayLoop::start(const asio::any_io_executor& executor) {
  executor_ = executor;
  started_.store(true, std::memory_order_release);
  asio::co_spawn(executor_, run(), [this](const std::exception_ptr& error, int /*unused*/) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        log_unexpected(destination_, e.what());
      }
    }
    ended_.set_value();
  });
}

void RelayLoop::wake() {
  if (!wake_requested_.exchange(true, std::memory_order_acq_rel) &&
      started_.load(std::memory_order_acquire)) {
    asio::post(executor_, [this] {
      if (idle_timer_ != nullptr) {
        idle_timer_->cancel();
      }
    });
  }
}

void RelayLoop::stop() {
  stopping_.store(true, std::memory_order_release);
  if (started_.load(std::memory_order_acquire)) {
    asio::post(executor_, [this] {
      if (idle_timer_ != nullptr) {
        idle_timer_->cancel();
        backoff_timer_->cancel();
      }
    });
  }
}

bool RelayLoop::wait(std::chrono::milliseconds timeout) {
  return !started_.load(std::memory_order_acquire) ||
         ended_future_.wait_for(timeout) == std::future_status::ready;
}

void RelayLoop::back_off() {
  next_claim_at_ = Clock::now() + resilience::equal_jitter_backoff(options_.backoff, failures_++,
                                                                   resilience::thread_random01());
}

asio::awaitable<int> RelayLoop::pause(std::chrono::milliseconds duration, bool wakeable) {
  if (stopping_.load(std::memory_order_acquire) ||
      (wakeable && wake_requested_.load(std::memory_order_acquire))) {
    co_return 0;
  }
  auto& timer = wakeable ? *idle_timer_ : *backoff_timer_;
  timer.expires_after(duration);
  co_await timer.async_wait(nothrow);
  co_return 0;
}

asio::awaitable<bool> RelayLoop::prepare() {
  auto ready = co_await destination_.prepare();
  if (ready.ok()) {
    log_ready(destination_, topic_);
    failures_ = 0;
    co_return true;
  }
  back_off();
  log_prepare_failed(destination_, ready.error,
                     std::chrono::ceil<std::chrono::milliseconds>(next_claim_at_ - Clock::now()));
  co_return false;
}

asio::awaitable<int> RelayLoop::wait_for_a_settled_batch() {
  // ship() cancels the timer when it has settled its batch; nothing else does.
  settled_timer_->expires_after(std::chrono::hours(1));
  co_await settled_timer_->async_wait(nothrow);
  co_return 0;
}

asio::awaitable<std::optional<std::vector<OutboxMessage>>> RelayLoop::claim() {
  try {
    co_return co_await store_.claim(topic_, destination_.batch_size(), options_.lease);
  } catch (const std::exception& e) {
    log_store_failed("claim", topic_, e);
  }
  co_return std::nullopt;
}

asio::awaitable<Delivery> RelayLoop::deliver(const std::vector<OutboxMessage>& batch) {
  Delivery delivery;
  try {
    delivery = co_await destination_.deliver(batch);
  } catch (const std::exception& e) {
    log_unexpected(destination_, e.what());
    delivery = Delivery{};
    for (const auto& row : batch) {
      delivery.failed.push_back(row.sequence);
    }
    delivery.call_error = aws::AwsError{0, "Unexpected", e.what(), true};
  }
  if (delivery.call_error && kind_of(*delivery.call_error) == FailureKind::rows_at_fault) {
    if (batch.size() == 1) {
      // This row is the culprit.
      Delivery refused;
      refused.refused.emplace_back(batch.front().sequence,
                                   delivery.call_error->code + ": " + delivery.call_error->message);
      co_return refused;
    }
    co_return co_await deliver_one_by_one(batch);
  }
  co_return delivery;
}

asio::awaitable<Delivery> RelayLoop::deliver_one_by_one(const std::vector<OutboxMessage>& batch) {
  Delivery all;
  for (const auto& row : batch) {
    const std::vector<OutboxMessage> one{row};
    Delivery single = co_await deliver(one);
    merge(all, single);
  }
  co_return all;
}

asio::awaitable<int> RelayLoop::release(const std::vector<std::int64_t>& sequences) {
  if (sequences.empty()) {
    co_return 0;
  }
  try {
    co_await store_.release(topic_, sequences);
  } catch (const std::exception& e) {
    // The lease runs out by itself: the rows are claimed again then.
    log_store_failed("release", topic_, e);
  }
  co_return 0;
}

asio::awaitable<int> RelayLoop::settle(const std::vector<OutboxMessage>& batch,
                                       const Delivery& delivery, double seconds_since_claim) {
  if (!delivery.delivered.empty()) {
    try {
      co_await store_.mark_delivered(topic_, delivery.delivered);
    } catch (const std::exception& e) {
      // Acknowledged but not recorded: sent again after the lease, with the same id.
      log_store_failed("mark_delivered", topic_, e);
    }
    for (const auto& row : batch) {
      if (std::find(delivery.delivered.begin(), delivery.delivered.end(), row.sequence) !=
          delivery.delivered.end()) {
        metrics_.published(row.age_seconds + seconds_since_claim);
      }
    }
  }
  if (!delivery.refused.empty()) {
    metrics_.undeliverable(delivery.refused.size());
    for (const auto& [sequence, why] : delivery.refused) {
      log_refused(destination_, sequence, why);
      const std::vector<std::int64_t> one{sequence};
      try {
        co_await store_.mark_undeliverable(topic_, one, why);
      } catch (const std::exception& e) {
        log_store_failed("mark_undeliverable", topic_, e);
      }
    }
  }
  if (!delivery.failed.empty()) {
    metrics_.failed(delivery.failed.size());
    co_await release(delivery.failed);
  }
  co_return 0;
}

asio::awaitable<int> RelayLoop::ship(std::vector<OutboxMessage> batch,
                                     resilience::CircuitBreaker::Permit permit) {
  const auto claimed_at = Clock::now();
  Delivery delivery = co_await deliver(batch);
  const auto elapsed = Clock::now() - claimed_at;
  const bool transient_failure =
      delivery.call_error && kind_of(*delivery.call_error) != FailureKind::rows_at_fault;
  if (transient_failure) {
    breaker_.on_failure(permit);
  } else {
    breaker_.on_success(permit, elapsed);
  }
  co_await settle(batch, delivery, std::chrono::duration<double>(elapsed).count());
  if (transient_failure || !delivery.failed.empty()) {
    if (delivery.call_error && kind_of(*delivery.call_error) == FailureKind::destination_gone) {
      prepared_ = false;
    }
    back_off();
    log_delivery_failed(
        destination_, delivery,
        std::chrono::ceil<std::chrono::milliseconds>(next_claim_at_ - Clock::now()));
    idle_timer_->cancel();  // the loop may be idle: let it wait for the backoff instead
  } else {
    failures_ = 0;
  }
  co_return 0;
}

asio::awaitable<int> RelayLoop::run() {
  asio::steady_timer idle_timer(executor_);
  asio::steady_timer backoff_timer(executor_);
  asio::steady_timer settled_timer(executor_);
  idle_timer_ = &idle_timer;
  backoff_timer_ = &backoff_timer;
  settled_timer_ = &settled_timer;
  while (!stopping_.load(std::memory_order_acquire)) {
    if (in_flight_ >= options_.concurrency) {
      co_await wait_for_a_settled_batch();
      continue;
    }
    if (const auto now = Clock::now(); now < next_claim_at_) {
      co_await pause(std::chrono::ceil<std::chrono::milliseconds>(next_claim_at_ - now), false);
      continue;
    }
    if (!prepared_) {
      // Batches still in flight went to the destination that is gone: let them settle first.
      if (in_flight_ > 0) {
        co_await wait_for_a_settled_batch();
      } else {
        prepared_ = co_await prepare();
      }
      continue;
    }
    // Cleared before the claim: a commit after this point wakes the next wait.
    wake_requested_.store(false, std::memory_order_release);
    auto batch = co_await claim();
    if (!batch) {
      back_off();
      continue;
    }
    if (batch->empty()) {
      co_await pause(options_.poll_interval, true);
      continue;
    }
    const auto permit = breaker_.try_acquire();
    if (!permit.allowed) {
      std::vector<std::int64_t> sequences;
      sequences.reserve(batch->size());
      for (const auto& row : *batch) {
        sequences.push_back(row.sequence);
      }
      co_await release(sequences);
      back_off();
      next_claim_at_ =
          std::max(next_claim_at_, Clock::now() + breaker_.snapshot().time_to_half_open);
      continue;
    }
    ++in_flight_;
    asio::co_spawn(executor_, ship(std::move(*batch), permit),
                   [this](const std::exception_ptr& error, int /*unused*/) {
                     if (error) {
                       try {
                         std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                         log_unexpected(destination_, e.what());
                       }
                     }
                     --in_flight_;
                     settled_timer_->cancel();
                   });
  }
  while (in_flight_ > 0) {
    co_await wait_for_a_settled_batch();
  }
  idle_timer_ = nullptr;
  backoff_timer_ = nullptr;
  settled_timer_ = nullptr;
  co_return 0;
}

}  // namespace sre::events
