// The worker's events straight from the outbox table, when there is no SQS in between (the
// embedded default): it claims pending rows of OutboxTopic::events under a lease, with the
// same claim the relay uses (FOR UPDATE SKIP LOCKED on PostgreSQL), so several workers, or a
// worker and a relay, never hold the same row at once. Acknowledging marks rows delivered.
//
// When nothing is pending it waits `poll_interval` before claiming again; wake() (another
// process committed rows: store::OutboxSignal) and interrupt() end that wait at once.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "store/event_store.h"
#include "worker/event_source.h"

namespace sre::worker {

class OutboxSource : public EventSource {
 public:
  struct Options {
    int batch_size = 10;
    std::chrono::seconds lease{30};
    std::chrono::milliseconds poll_interval{250};
  };

  // Runs on `executor` (the consumer's thread); `events` must outlive it.
  OutboxSource(store::EventStore& events, Options options,
               const boost::asio::any_io_executor& executor);

  std::string_view name() const override { return "outbox"; }
  boost::asio::awaitable<std::vector<DeliveredEvent>> receive() override;
  boost::asio::awaitable<std::size_t> acknowledge(std::vector<DeliveredEvent> events) override;
  boost::asio::awaitable<std::size_t> retry_later(std::vector<DeliveredEvent> events) override;
  boost::asio::awaitable<std::size_t> set_aside(DeliveredEvent event, std::string reason) override;
  // A lease that runs out mid-batch lets another worker claim the same rows; its apply_event
  // of an event_id already applied is a no-op, so nothing needs renewing.
  std::optional<std::chrono::seconds> hold() const override { return std::nullopt; }
  boost::asio::awaitable<std::size_t> extend(std::vector<DeliveredEvent> /*events*/) override {
    co_return 0;
  }
  void interrupt() override;
  // On the source's executor: rows were committed elsewhere, claim now.
  void wake();

 private:
  store::EventStore& events_;
  Options options_;
  boost::asio::steady_timer idle_;
  bool interrupted_ = false;
  bool woken_ = false;  // a wake() since the last claim began
};

}  // namespace sre::worker
