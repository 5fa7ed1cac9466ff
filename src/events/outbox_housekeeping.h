// The outbox's upkeep, on the relay's executor: every few seconds the backlog gauges of each
// topic (pending rows, the oldest one's age, rows given up on) are refreshed from the
// database, and once a minute delivered rows older than the retention are deleted, along with
// whatever else the write path leaves to expire (prune_also: the idempotency keys).
// Several instances may do it at once: reading a count and deleting old rows both are.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "events/relay_metrics.h"
#include "events/relay_options.h"
#include "store/event_store.h"

namespace sre::events {

class OutboxHousekeeping {
 public:
  // `topics`: the tables to watch and prune (audit only when DynamoDB receives it: otherwise
  // the audit table is the audit log, never delivered and never pruned).
  OutboxHousekeeping(const std::vector<store::OutboxTopic>& topics, store::EventStore& store,
                     const RelayOptions& options, obs::Metrics& metrics);
  OutboxHousekeeping(const OutboxHousekeeping&) = delete;
  OutboxHousekeeping& operator=(const OutboxHousekeeping&) = delete;

  // Another table pruned on the same schedule: `prune` deletes what has expired, counts it in
  // its own metric and returns how many rows; a failure is logged with `name` and retried at
  // the next prune. Call before start().
  struct PruneTask {
    std::string name;
    std::function<boost::asio::awaitable<std::int64_t>()> prune;
  };
  void prune_also(PruneTask task) { prune_tasks_.push_back(std::move(task)); }

  void start(const boost::asio::any_io_executor& executor);
  void stop();
  bool wait(std::chrono::milliseconds timeout);

 private:
  struct Topic {
    store::OutboxTopic topic;
    BacklogMetrics metrics;
  };
  boost::asio::awaitable<int> run();
  boost::asio::awaitable<int> pass(bool prune);

  std::vector<std::unique_ptr<Topic>> topics_;
  std::vector<PruneTask> prune_tasks_;
  store::EventStore& store_;
  RelayOptions options_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  boost::asio::any_io_executor executor_;
  // A local of run() (see RelayLoop), used on the executor's thread only.
  boost::asio::steady_timer* timer_ = nullptr;
  std::promise<void> ended_;
  std::future<void> ended_future_ = ended_.get_future();
};

}  // namespace sre::events
