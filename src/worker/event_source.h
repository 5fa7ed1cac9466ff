// Where the worker's events come from: one small interface, two sources.
//
//   OutboxSource  the outbox table itself (no SQS: the default, nothing else to run)
//   SqsSource     the `student-events` queue, long polled (ENABLE_SQS=true; the relay in
//                 `serve` fills it from the outbox)
//
// Both deliver at least once: an event whose acknowledgement was lost comes again, and the
// consumer's store::EventStore::apply_event, idempotent by event_id, makes that harmless. The
// consumer (event_consumer.h) owns the loop; a source only receives and settles events.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sre::worker {

// One event as a source delivered it.
struct DeliveredEvent {
  std::string body;        // the event's JSON, exactly as it was written to the outbox
  std::string message_id;  // for logs: the outbox row's sequence, or the SQS MessageId
  std::string handle;      // what settles it: the outbox sequence, or the SQS receipt handle
  int deliveries = 1;      // times it was delivered, this one included
};

class EventSource {
 public:
  virtual ~EventSource() = default;

  // "outbox" or "sqs", for logs and the health report.
  virtual std::string_view name() const = 0;

  // The next batch, oldest first; empty when nothing came within the source's wait (or
  // interrupt() was called). Throws core::DependencyUnavailable while the source cannot be
  // reached.
  virtual boost::asio::awaitable<std::vector<DeliveredEvent>> receive() = 0;

  // The settling calls return how many of the events they settled. (They return a value
  // because g++ 12 passes shifted arguments to member coroutines returning awaitable<void>.)
  //
  // Their effects are committed (now or by an earlier delivery): never deliver them again.
  virtual boost::asio::awaitable<std::size_t> acknowledge(std::vector<DeliveredEvent> events) = 0;
  // They could not be processed now (the database failed): deliver them again later. An
  // event that keeps failing is given up on after kMaxDeliveries (see below).
  virtual boost::asio::awaitable<std::size_t> retry_later(std::vector<DeliveredEvent> events) = 0;
  // It can never be processed (not a student event): keep it for a human, out of the way.
  virtual boost::asio::awaitable<std::size_t> set_aside(DeliveredEvent event,
                                                        std::string reason) = 0;

  // How long a delivered event stays hidden from other consumers, if that can run out while
  // the consumer still works on it; nullopt when it cannot.
  virtual std::optional<std::chrono::seconds> hold() const = 0;
  // Hides `events` for another hold() from now (slow work must not be delivered twice).
  virtual boost::asio::awaitable<std::size_t> extend(std::vector<DeliveredEvent> events) = 0;

  // Called on the consumer's thread at shutdown: a receive() waiting for events returns now.
  virtual void interrupt() = 0;
};

// Deliveries after which an event is given up on: the queue's redrive policy moves it to the
// dead-letter queue (maxReceiveCount, provisioned in src/aws), the outbox marks it
// undeliverable. The same number for both sources.
inline constexpr int kMaxDeliveries = 5;

}  // namespace sre::worker
