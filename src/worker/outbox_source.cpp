#include "worker/outbox_source.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>

#include "core/log.h"

namespace sre::worker {

namespace asio = boost::asio;

namespace {

std::vector<std::int64_t> sequences_of(const std::vector<DeliveredEvent>& events) {
  std::vector<std::int64_t> sequences;
  sequences.reserve(events.size());
  for (const auto& event : events) {
    sequences.push_back(std::stoll(event.handle));
  }
  return sequences;
}

}  // namespace

OutboxSource::OutboxSource(store::EventStore& events, Options options,
                           const asio::any_io_executor& executor)
    : events_(events), options_(options), idle_(executor) {}

asio::awaitable<std::vector<DeliveredEvent>> OutboxSource::receive() {
  std::vector<DeliveredEvent> delivered;
  if (interrupted_) {
    co_return delivered;
  }
  // Cleared before the claim: a wake-up from now on ends the idle wait below.
  woken_ = false;
  auto claimed =
      co_await events_.claim(store::OutboxTopic::events, options_.batch_size, options_.lease);
  if (claimed.empty() && !woken_) {
    idle_.expires_after(options_.poll_interval);
    co_await idle_.async_wait(asio::as_tuple(asio::use_awaitable));  // or interrupted
    co_return delivered;
  }
  delivered.reserve(claimed.size());
  for (auto& row : claimed) {
    std::string sequence = std::to_string(row.sequence);
    delivered.push_back({std::move(row.body), sequence, sequence, row.attempts + 1});
  }
  co_return delivered;
}

asio::awaitable<std::size_t> OutboxSource::acknowledge(std::vector<DeliveredEvent> events) {
  if (!events.empty()) {
    std::vector<std::int64_t> sequences = sequences_of(events);
    co_await events_.mark_delivered(store::OutboxTopic::events, std::move(sequences));
  }
  co_return events.size();
}

asio::awaitable<std::size_t> OutboxSource::retry_later(std::vector<DeliveredEvent> events) {
  std::vector<DeliveredEvent> again;
  std::vector<DeliveredEvent> given_up;
  for (auto& event : events) {
    (event.deliveries >= kMaxDeliveries ? given_up : again).push_back(std::move(event));
  }
  if (!again.empty()) {
    std::vector<std::int64_t> sequences = sequences_of(again);
    co_await events_.release(store::OutboxTopic::events, std::move(sequences));
  }
  if (!given_up.empty()) {
    for (const auto& event : given_up) {
      log::error("event given up on: processing failed too often",
                 {{"source", "outbox"},
                  {"message_id", event.message_id},
                  {"deliveries", event.deliveries}});
    }
    std::vector<std::int64_t> sequences = sequences_of(given_up);
    std::string reason = "worker: processing failed " + std::to_string(kMaxDeliveries) + " times";
    co_await events_.mark_undeliverable(store::OutboxTopic::events, std::move(sequences),
                                        std::move(reason));
  }
  co_return again.size() + given_up.size();
}

asio::awaitable<std::size_t> OutboxSource::set_aside(DeliveredEvent event, std::string reason) {
  std::vector<std::int64_t> sequence{std::stoll(event.handle)};
  std::string why = "worker: " + reason;
  co_await events_.mark_undeliverable(store::OutboxTopic::events, std::move(sequence),
                                      std::move(why));
  co_return 1;
}

void OutboxSource::wake() {
  woken_ = true;
  idle_.cancel();
}

void OutboxSource::interrupt() {
  interrupted_ = true;
  idle_.cancel();
}

}  // namespace sre::worker
