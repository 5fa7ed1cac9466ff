// One outbox topic shipped to one destination (events to SQS, audit records to DynamoDB), for
// as long as the process runs, on one I/O thread's executor, never blocking it:
//
//   prepare the destination (provision or look up; again after a backoff while it fails)
//   loop: all `concurrency` batches in flight?  wait until one is settled
//         claim up to a batch of pending rows under a lease (oldest first; rows another
//         instance holds are skipped)
//         none?          wait for a wake-up (a commit) or the poll interval
//         breaker open?  release them, wait until it lets a probe through
//         ship the batch, without waiting for it, and claim again:
//           deliver      rows with a per-row fault are sent one by one to find the culprit
//           settle       acknowledged -> mark_delivered; refused for good ->
//                        mark_undeliverable; the rest -> release (attempts + 1)
//           failed?      exponential backoff with equal jitter before the next claim
//
// Several batches in flight, because one AWS call takes tens to hundreds of milliseconds: with
// one at a time, the relay ships at most a batch per round trip, and under a steady write rate
// events wait for the calls ahead of them. Events of one student may therefore reach the queue
// out of order, as SQS standard queues may deliver them anyway; the worker's effects do not
// depend on the order.
//
// A row is marked delivered only after the destination acknowledged it. A relay that dies in
// between leaves the row leased; after the lease it is sent again with the same event_id
// (at least once; consumers deduplicate).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "events/destination.h"
#include "events/relay_metrics.h"
#include "events/relay_options.h"
#include "resilience/circuit_breaker.h"
#include "store/event_store.h"

namespace sre::events {

class RelayLoop {
 public:
  RelayLoop(store::OutboxTopic topic, Destination& destination, store::EventStore& store,
            const RelayOptions& options, obs::Metrics& metrics);
  RelayLoop(const RelayLoop&) = delete;
  RelayLoop& operator=(const RelayLoop&) = delete;

  // Starts the loop on `executor` (an I/O thread's: the store's calls need one). Once.
  void start(const boost::asio::any_io_executor& executor);
  // From any thread: rows were committed, look now. At most one post per pass of the loop.
  void wake();
  // From any thread: finish the batches in flight, then end. wait() blocks until it has ended,
  // at most `timeout`; false if it has not.
  void stop();
  bool wait(std::chrono::milliseconds timeout);

  resilience::CircuitBreaker& breaker() { return breaker_; }

 private:
  boost::asio::awaitable<int> run();
  boost::asio::awaitable<bool> prepare();
  // One claimed batch, from the call to the settled rows; counted in in_flight_.
  boost::asio::awaitable<int> ship(std::vector<store::OutboxMessage> batch,
                                   resilience::CircuitBreaker::Permit permit);
  // Waits until a batch in flight has been settled (or stop()).
  boost::asio::awaitable<int> wait_for_a_settled_batch();
  // nullopt when the database could not be asked.
  boost::asio::awaitable<std::optional<std::vector<store::OutboxMessage>>> claim();
  boost::asio::awaitable<Delivery> deliver(const std::vector<store::OutboxMessage>& batch);
  boost::asio::awaitable<Delivery> deliver_one_by_one(
      const std::vector<store::OutboxMessage>& batch);
  boost::asio::awaitable<int> settle(const std::vector<store::OutboxMessage>& batch,
                                     const Delivery& delivery, double seconds_since_claim);
  boost::asio::awaitable<int> release(const std::vector<std::int64_t>& sequences);
  // Waits `duration`; a wake-up ends the wait early when `wakeable`, stop() always.
  boost::asio::awaitable<int> pause(std::chrono::milliseconds duration, bool wakeable);
  // The next claim waits this long more (doubling with each failure in a row).
  void back_off();

  store::OutboxTopic topic_;
  Destination& destination_;
  store::EventStore& store_;
  RelayOptions options_;
  DeliveryMetrics metrics_;
  resilience::CircuitBreaker breaker_;

  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> wake_requested_{false};
  boost::asio::any_io_executor executor_;
  // Used on the executor's thread only (run() and the ship() coroutines it spawns).
  int in_flight_ = 0;
  int failures_ = 0;  // failed claims or deliveries in a row
  bool prepared_ = false;
  std::chrono::steady_clock::time_point next_claim_at_{};  // the backoff after a failure
  // Locals of run(), null when run() is not running. They live in the coroutine's frame so that
  // they go with the event loop whatever happens.
  boost::asio::steady_timer* idle_timer_ = nullptr;     // wake() and stop() cancel it
  boost::asio::steady_timer* backoff_timer_ = nullptr;  // only stop() cancels it
  boost::asio::steady_timer* settled_timer_ = nullptr;  // a settled batch cancels it
  std::promise<void> ended_;
  std::future<void> ended_future_ = ended_.get_future();
};

}  // namespace sre::events
