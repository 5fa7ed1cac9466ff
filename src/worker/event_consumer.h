// The worker's loop: receive a batch from the source, apply each event's effects (in one
// transaction with the record that the event was processed, idempotent by event_id), then
// settle the batch with the source.
//
//   receive -> for each event: parse -> effects_of -> EventStore::apply_event
//           -> acknowledge the applied ones (SQS: DeleteMessageBatch, only now that their
//              effects are committed) and hand back the rest for a later delivery
//
// Nothing stops the loop but stop(): a malformed event is set aside (the dead-letter queue,
// or undeliverable in the outbox); a source failure backs off and tries again; a database
// failure hands the rest of the batch back and receives nothing more until the database
// answers again (each receive counts toward the dead-letter queue's limit, so events must not
// be received only to fail while the database is down). A slow batch renews the source's hold on
// the events it has not finished (SQS visibility), so they are not delivered to someone else
// meanwhile. stop() lets the batch in hand finish and be settled; run() then returns.
//
// While an event is applied, log lines carry its trace (worker/event_log_context.h): run()
// must run on a log::LogContextExecutor pointing at log_context().
//
// Runs on one I/O thread; stop() must be called on that thread too.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

#include "domain/student_change.h"
#include "resilience/backoff.h"
#include "store/event_store.h"
#include "worker/event_log_context.h"
#include "worker/event_source.h"
#include "worker/worker_metrics.h"

namespace sre::worker {

class EventConsumer {
 public:
  // Returns when the database answers; throws while it does not (StudentStore::ping).
  using DatabaseProbe = std::function<boost::asio::awaitable<void>()>;

  // Everything must outlive the consumer; `executor` is the thread it runs on.
  EventConsumer(EventSource& source, store::EventStore& events, DatabaseProbe probe_database,
                WorkerMetrics& metrics, const boost::asio::any_io_executor& executor,
                resilience::BackoffPolicy failure_backoff = {std::chrono::milliseconds(100),
                                                             std::chrono::seconds(5)});

  // Until stop(): batch after batch.
  boost::asio::awaitable<void> run();
  void stop();

  const log::RequestLogContext* log_context() const { return event_log_context_.context(); }

  // Whether the last receive reached the source, for readiness (read from any thread).
  bool source_reachable() const { return source_reachable_.load(std::memory_order_relaxed); }

 private:
  // One batch received, processed and settled; false when the source or the database failed.
  boost::asio::awaitable<bool> run_once();
  boost::asio::awaitable<bool> process(std::vector<DeliveredEvent> batch);
  boost::asio::awaitable<Outcome> apply(const domain::StudentEvent& event);
  // After a database failure: probes it, backing off, until it answers (or stop()).
  boost::asio::awaitable<bool> wait_for_database();
  enum class Settlement : std::uint8_t { acknowledge, retry_later, set_aside, extend };
  // Settles `events` (moved from) with the source; false (and logged) when that failed: the
  // events come again, at worst.
  boost::asio::awaitable<bool> settle(Settlement what, std::vector<DeliveredEvent>& events);
  // False when stop() cut the wait short. (Not awaitable<void>: see event_source.h.)
  boost::asio::awaitable<bool> pause(std::chrono::milliseconds wait);

  EventSource& source_;
  store::EventStore& events_;
  DatabaseProbe probe_database_;
  WorkerMetrics& metrics_;
  resilience::BackoffPolicy failure_backoff_;
  boost::asio::steady_timer pause_;
  EventLogContext event_log_context_;
  bool stopping_ = false;
  bool database_failed_ = false;  // by the last apply_event
  std::atomic<bool> source_reachable_{true};
};

}  // namespace sre::worker
