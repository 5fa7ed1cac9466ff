#include "worker/event_consumer.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/clock.h"
#include "core/log.h"
#include "worker/event_effects.h"

namespace sre::worker {

namespace asio = boost::asio;

namespace {

std::vector<DeliveredEvent> take_from(std::vector<DeliveredEvent>& batch, std::size_t first) {
  return {std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(first)),
          std::make_move_iterator(batch.end())};
}

// From the change's commit (the event's timestamp) to now; nullopt for a timestamp we cannot
// read (the event is still processed: the lag is only a measurement).
std::optional<double> lag_seconds(const std::string& timestamp) {
  auto committed = core::parse_rfc3339_utc(timestamp);
  if (!committed) {
    return std::nullopt;
  }
  std::chrono::duration<double> lag = std::chrono::system_clock::now() - *committed;
  return std::max(0.0, lag.count());  // clocks of other hosts may run ahead
}

// The event's ids in the log lines written while it is applied (across its awaits).
class EventLogScope {
 public:
  EventLogScope(EventLogContext& context, const domain::StudentEvent& event) : context_(context) {
    context_.begin(event);
  }
  ~EventLogScope() { context_.end(); }
  EventLogScope(const EventLogScope&) = delete;
  EventLogScope& operator=(const EventLogScope&) = delete;

 private:
  EventLogContext& context_;
};

}  // namespace

EventConsumer::EventConsumer(EventSource& source, store::EventStore& events,
                             DatabaseProbe probe_database, WorkerMetrics& metrics,
                             const asio::any_io_executor& executor,
                             resilience::BackoffPolicy failure_backoff)
    : source_(source),
      events_(events),
      probe_database_(std::move(probe_database)),
      metrics_(metrics),
      failure_backoff_(failure_backoff),
      pause_(executor) {}

void EventConsumer::stop() {
  stopping_ = true;
  source_.interrupt();
  pause_.cancel();
}

asio::awaitable<void> EventConsumer::run() {
  log::info("consuming events", {{"source", source_.name()}});
  metrics_.set_consuming(true);
  int failures = 0;
  while (!stopping_) {
    if (database_failed_) {
      const bool answers = co_await wait_for_database();
      database_failed_ = !answers;
      continue;
    }
    const bool succeeded = co_await run_once();
    failures = succeeded ? 0 : failures + 1;
    if (failures > 0 && !database_failed_ && !stopping_) {
      co_await pause(resilience::equal_jitter_backoff(failure_backoff_, failures - 1,
                                                      resilience::thread_random01()));
    }
  }
  metrics_.set_consuming(false);
  log::info("stopped consuming events", {{"source", source_.name()}});
}

asio::awaitable<bool> EventConsumer::run_once() {
  std::vector<DeliveredEvent> batch;
  std::string error;
  try {
    batch = co_await source_.receive();
  } catch (const std::exception& e) {
    error = e.what();
  }
  source_reachable_.store(error.empty(), std::memory_order_relaxed);
  metrics_.set_consuming(error.empty());
  if (!error.empty()) {
    log::warn("receiving events failed", {{"source", source_.name()}, {"error", error}});
    co_return false;
  }
  if (batch.empty()) {
    co_return true;
  }
  const bool processed = co_await process(std::move(batch));
  co_return processed;
}

asio::awaitable<bool> EventConsumer::process(std::vector<DeliveredEvent> batch) {
  const auto hold = source_.hold();
  auto held_since = std::chrono::steady_clock::now();
  std::vector<DeliveredEvent> applied;
  applied.reserve(batch.size());
  std::size_t next = 0;
  for (; next < batch.size(); ++next) {
    // Renew the hold on what is left before half of it is gone.
    if (hold && std::chrono::steady_clock::now() - held_since >= *hold / 2) {
      std::vector<DeliveredEvent> rest(batch.begin() + static_cast<std::ptrdiff_t>(next),
                                       batch.end());
      co_await settle(Settlement::extend, rest);
      held_since = std::chrono::steady_clock::now();
    }
    DeliveredEvent& delivered = batch[next];
    auto event = domain::parse_event(delivered.body);
    if (!event) {
      metrics_.count(std::nullopt, Outcome::malformed);
      log::warn("malformed event set aside", {{"source", source_.name()},
                                              {"message_id", delivered.message_id},
                                              {"deliveries", delivered.deliveries},
                                              {"body_bytes", delivered.body.size()}});
      std::vector<DeliveredEvent> malformed{std::move(delivered)};
      co_await settle(Settlement::set_aside, malformed);
      continue;
    }
    const Outcome outcome = co_await apply(*event);
    if (outcome == Outcome::failed) {
      break;
    }
    applied.push_back(std::move(delivered));
  }
  co_await settle(Settlement::acknowledge, applied);
  if (next == batch.size()) {
    co_return true;
  }
  std::vector<DeliveredEvent> unprocessed = take_from(batch, next);
  co_await settle(Settlement::retry_later, unprocessed);
  co_return false;
}

asio::awaitable<Outcome> EventConsumer::apply(const domain::StudentEvent& event) {
  EventLogScope scope(event_log_context_, event);
  std::optional<bool> applied;
  std::string error;
  store::EventEffects effects = effects_of(event);
  try {
    applied = co_await events_.apply_event(std::move(effects));
  } catch (const std::exception& e) {
    error = e.what();
  }
  database_failed_ = !applied;
  metrics_.set_consuming(applied.has_value());
  if (!applied) {
    metrics_.count(event.kind, Outcome::failed);
    log::error("applying an event failed; it will be delivered again",
               {{"event_id", event.event_id},
                {"event_type", domain::event_type(event.kind)},
                {"error", error}});
    co_return Outcome::failed;
  }
  if (!*applied) {
    metrics_.count(event.kind, Outcome::duplicate);
    log::debug("event delivered again; its effects were applied before",
               {{"event_id", event.event_id}});
    co_return Outcome::duplicate;
  }
  metrics_.count(event.kind, Outcome::processed);
  const auto lag = lag_seconds(event.timestamp);
  if (lag) {
    metrics_.observe_lag(*lag);
  }
  // The writing request's span links this line (and the worker's span) to the API's lines.
  log::info("event applied", {{"event_id", event.event_id},
                              {"event_type", domain::event_type(event.kind)},
                              {"parent_span_id", event_log_context_.parent_span_id()},
                              {"lag_ms", static_cast<std::int64_t>(lag.value_or(0) * 1000)}});
  co_return Outcome::processed;
}

asio::awaitable<bool> EventConsumer::settle(Settlement what, std::vector<DeliveredEvent>& events) {
  if (events.empty()) {
    co_return true;
  }
  static constexpr std::array<std::string_view, 4> kNames = {"acknowledge", "retry later",
                                                             "set aside", "extend"};
  const std::size_t count = events.size();
  std::string error;
  try {
    switch (what) {
      case Settlement::acknowledge:
        co_await source_.acknowledge(std::move(events));
        break;
      case Settlement::retry_later:
        co_await source_.retry_later(std::move(events));
        break;
      case Settlement::set_aside: {
        std::string reason = "malformed event";
        co_await source_.set_aside(std::move(events.front()), std::move(reason));
        break;
      }
      case Settlement::extend:
        co_await source_.extend(std::move(events));
        break;
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!error.empty()) {
    // Not settled: the source delivers these events again once their hold runs out, and
    // apply_event recognises the ones already applied.
    log::warn("settling events with the source failed",
              {{"source", source_.name()},
               {"operation", kNames.at(static_cast<std::size_t>(what))},
               {"events", count},
               {"error", error}});
  }
  co_return error.empty();
}

asio::awaitable<bool> EventConsumer::wait_for_database() {
  for (int failures = 0; !stopping_; ++failures) {
    co_await pause(resilience::equal_jitter_backoff(failure_backoff_, failures,
                                                    resilience::thread_random01()));
    if (stopping_) {
      break;
    }
    std::string error;
    try {
      co_await probe_database_();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (error.empty()) {
      metrics_.set_consuming(true);
      log::info("the database answers again: receiving events", {{"source", source_.name()}});
      co_return true;
    }
    if (failures % 20 == 0) {
      log::warn("the database does not answer: receiving no events until it does",
                {{"source", source_.name()}, {"error", error}, {"attempt", failures + 1}});
    }
  }
  co_return false;
}

asio::awaitable<bool> EventConsumer::pause(std::chrono::milliseconds wait) {
  pause_.expires_after(wait);
  auto [cancelled] = co_await pause_.async_wait(asio::as_tuple(asio::use_awaitable));  // stop()
  co_return !cancelled;
}

}  // namespace sre::worker
