#include "events/outbox_housekeeping.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.h"

namespace sre::events {

namespace asio = boost::asio;

namespace {

constexpr auto kPruneEvery = std::chrono::seconds(60);

// `table`: the topic's name, or a PruneTask's.
void log_failed(std::string_view step, std::string_view table, const std::exception& e) {
  log::warn("outbox housekeeping failed", {{"step", step}, {"topic", table}, {"error", e.what()}});
}

void log_pruned(store::OutboxTopic topic, std::int64_t rows) {
  log::info("outbox rows pruned", {{"topic", to_string(topic)}, {"rows", rows}});
}

}  // namespace

OutboxHousekeeping::OutboxHousekeeping(const std::vector<store::OutboxTopic>& topics,
                                       store::EventStore& store, const RelayOptions& options,
                                       obs::Metrics& metrics)
    : store_(store), options_(options) {
  for (auto topic : topics) {
    topics_.push_back(std::make_unique<Topic>(Topic{topic, BacklogMetrics(metrics, topic)}));
  }
}

void OutboxHousekeeping::start(const asio::any_io_executor& executor) {
  executor_ = executor;
  started_.store(true, std::memory_order_release);
  asio::co_spawn(executor_, run(), [this](const std::exception_ptr& /*error*/, int /*unused*/) {
    ended_.set_value();
  });
}

void OutboxHousekeeping::stop() {
  stopping_.store(true, std::memory_order_release);
  if (started_.load(std::memory_order_acquire)) {
    asio::post(executor_, [this] {
      if (timer_ != nullptr) {
        timer_->cancel();
      }
    });
  }
}

bool OutboxHousekeeping::wait(std::chrono::milliseconds timeout) {
  return !started_.load(std::memory_order_acquire) ||
         ended_future_.wait_for(timeout) == std::future_status::ready;
}

asio::awaitable<int> OutboxHousekeeping::pass(bool prune) {
  for (const auto& topic : topics_) {
    try {
      auto backlog = co_await store_.backlog(topic->topic);
      topic->metrics.update(backlog);
      if (prune) {
        auto rows = co_await store_.prune_delivered(topic->topic, options_.retention);
        topic->metrics.pruned(rows);
        if (rows > 0) {
          log_pruned(topic->topic, rows);
        }
      }
    } catch (const std::exception& e) {
      log_failed(prune ? "prune" : "backlog", to_string(topic->topic), e);
    }
  }
  if (prune) {
    for (const auto& task : prune_tasks_) {
      try {
        co_await task.prune();
      } catch (const std::exception& e) {
        log_failed("prune", task.name, e);
      }
    }
  }
  co_return 0;
}

asio::awaitable<int> OutboxHousekeeping::run() {
  asio::steady_timer timer(executor_);
  timer_ = &timer;
  auto next_prune = std::chrono::steady_clock::now();
  while (!stopping_.load(std::memory_order_acquire)) {
    const auto now = std::chrono::steady_clock::now();
    const bool prune = now >= next_prune;
    if (prune) {
      next_prune = now + kPruneEvery;
    }
    co_await pass(prune);
    if (stopping_.load(std::memory_order_acquire)) {
      break;
    }
    timer_->expires_after(options_.housekeeping_interval);
    co_await timer_->async_wait(asio::as_tuple(asio::use_awaitable));
  }
  timer_ = nullptr;
  co_return 0;
}

}  // namespace sre::events
