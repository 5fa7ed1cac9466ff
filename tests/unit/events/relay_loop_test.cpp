// RelayLoop against an in-memory EventStore and a scripted destination: what becomes of each
// row (delivered, released, refused), the culprit search for a batch refused as a whole, the
// breaker, the wake-up, re-preparing a destination that is gone, and a store that is down.
#include "events/relay_loop.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <thread>

#include "events/fake_event_store.h"
#include "events/outbox_housekeeping.h"

namespace sre::events {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using store::OutboxMessage;
using store::OutboxTopic;
using testing::FakeEventStore;

class ScriptedDestination : public Destination {
 public:
  using Script = std::function<Delivery(const std::vector<OutboxMessage>&)>;

  // Acknowledges every row.
  static Delivery all_delivered(const std::vector<OutboxMessage>& batch) {
    Delivery delivery;
    for (const auto& row : batch) {
      delivery.delivered.push_back(row.sequence);
    }
    return delivery;
  }
  static Delivery call_failed(const std::vector<OutboxMessage>& batch, aws::AwsError error) {
    Delivery delivery;
    for (const auto& row : batch) {
      delivery.failed.push_back(row.sequence);
    }
    delivery.call_error = std::move(error);
    return delivery;
  }

  const std::string& name() const override { return name_; }
  int batch_size() const override { return 10; }
  asio::awaitable<aws::Result<aws::Done>> prepare() override {
    ++prepares;
    co_return aws::Result<aws::Done>{aws::Done{}, {}};
  }
  asio::awaitable<Delivery> deliver(const std::vector<OutboxMessage>& batch) override {
    batch_sizes.push_back(batch.size());
    max_in_flight = std::max(max_in_flight, ++in_flight);
    if (call_duration > 0ms) {
      asio::steady_timer timer(co_await asio::this_coro::executor, call_duration);
      co_await timer.async_wait(asio::use_awaitable);
    }
    --in_flight;
    co_return script(batch);
  }

  Script script = all_delivered;
  std::chrono::milliseconds call_duration{0};  // how long each call takes
  int prepares = 0;
  std::vector<std::size_t> batch_sizes;
  int in_flight = 0;
  int max_in_flight = 0;

 private:
  std::string name_ = "sqs";
};

RelayOptions fast_options() {
  RelayOptions options;
  options.poll_interval = 20ms;
  options.backoff = {1ms, 10ms};
  options.breaker.open_duration = 100ms;
  return options;
}

// The loop on an event loop of its own thread; every look at the fake store or the
// destination happens on that thread (on_loop).
class RelayLoopTest : public ::testing::Test {
 protected:
  void start(const RelayOptions& options = fast_options()) {
    loop_ =
        std::make_unique<RelayLoop>(OutboxTopic::events, destination_, store_, options, metrics_);
    loop_->start(ioc_.get_executor());
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    if (loop_) {
      loop_->stop();
      EXPECT_TRUE(loop_->wait(5s));
    }
    work_.reset();
    ioc_.stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  template <typename F>
  auto on_loop(F f) -> decltype(f()) {
    std::promise<decltype(f())> promise;
    asio::post(ioc_, [&] { promise.set_value(f()); });
    return promise.get_future().get();
  }
  // Whether `condition` (evaluated on the loop's thread) turns true within `timeout`.
  bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < give_up) {
      if (on_loop(condition)) {
        return true;
      }
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }
  int delivered() {
    int count = 0;
    for (const auto& row : store_.rows(OutboxTopic::events)) {
      count += row.delivered ? 1 : 0;
    }
    return count;
  }
  void add_rows(int count) {
    for (int i = 1; i <= count; ++i) {
      store_.add(OutboxTopic::events, i, "{\"event_id\":\"" + std::to_string(i) + "\"}");
    }
  }

  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(ioc_);
  std::thread thread_;
  obs::Metrics metrics_{"relay-test"};
  FakeEventStore store_;
  ScriptedDestination destination_;
  std::unique_ptr<RelayLoop> loop_;
};

TEST_F(RelayLoopTest, DeliversPendingRowsInBatchesAndMarksThemDelivered) {
  add_rows(25);
  start();
  ASSERT_TRUE(eventually([&] { return delivered() == 25; }));
  EXPECT_EQ(on_loop([&] { return destination_.batch_sizes; }),
            (std::vector<std::size_t>{10, 10, 5}));
  EXPECT_NE(metrics_.render().find("events_published_total{destination=\"sqs\"} 25"),
            std::string::npos);
}

TEST_F(RelayLoopTest, KeepsAsManyBatchesInFlightAsItsConcurrencyAndNoMore) {
  add_rows(100);
  destination_.call_duration = 30ms;
  auto options = fast_options();
  options.concurrency = 3;
  start(options);
  ASSERT_TRUE(eventually([&] { return delivered() == 100; }));
  EXPECT_EQ(on_loop([&] { return destination_.max_in_flight; }), 3);
}

TEST_F(RelayLoopTest, StopSettlesTheBatchesInFlightFirst) {
  add_rows(20);
  destination_.call_duration = 200ms;
  start();
  ASSERT_TRUE(eventually([&] { return destination_.in_flight == 2; }));
  loop_->stop();
  ASSERT_TRUE(loop_->wait(5s));
  on_loop([&] {
    EXPECT_EQ(delivered(), 20);  // both batches of 10 were acknowledged and marked delivered
    EXPECT_EQ(destination_.batch_sizes.size(), 2U);
    return 0;
  });
}

TEST_F(RelayLoopTest, ReleasesWhatWasNotAcknowledgedAndGivesUpOnSenderFaults) {
  add_rows(5);
  int calls = 0;
  destination_.script = [&calls](const std::vector<OutboxMessage>& batch) {
    if (++calls > 1) {
      return ScriptedDestination::all_delivered(batch);
    }
    Delivery delivery;
    delivery.failed.push_back(1);
    delivery.refused.emplace_back(2, "InvalidParameterValue: bad body");
    for (std::int64_t sequence = 3; sequence <= 5; ++sequence) {
      delivery.delivered.push_back(sequence);
    }
    return delivery;
  };
  start();
  ASSERT_TRUE(eventually([&] { return delivered() == 4; }));
  on_loop([&] {
    const auto& rows = store_.rows(OutboxTopic::events);
    EXPECT_EQ(rows[1].undeliverable, "InvalidParameterValue: bad body");
    EXPECT_FALSE(rows[1].delivered);
    EXPECT_EQ(rows[0].message.attempts, 1);  // released once, then delivered
    return 0;
  });
  auto text = metrics_.render();
  EXPECT_NE(text.find("events_publish_failed_total{destination=\"sqs\"} 1"), std::string::npos);
  EXPECT_NE(text.find("events_undeliverable_total{destination=\"sqs\"} 1"), std::string::npos);
}

TEST_F(RelayLoopTest, ABatchRefusedAsAWholeIsSentOneByOneToFindTheCulprit) {
  add_rows(6);
  destination_.script = [](const std::vector<OutboxMessage>& batch) {
    for (const auto& row : batch) {
      if (row.sequence == 3) {
        return ScriptedDestination::call_failed(
            batch, aws::AwsError{400, "ValidationException", "item too large", false});
      }
    }
    return ScriptedDestination::all_delivered(batch);
  };
  start();
  ASSERT_TRUE(eventually([&] { return delivered() == 5; }));
  on_loop([&] {
    EXPECT_EQ(store_.rows(OutboxTopic::events)[2].undeliverable,
              "ValidationException: item too large");
    // The batch of 6, then each row alone.
    EXPECT_EQ(destination_.batch_sizes, (std::vector<std::size_t>{6, 1, 1, 1, 1, 1, 1}));
    return 0;
  });
  EXPECT_EQ(loop_->breaker().state(), resilience::BreakerState::closed);
}

// The batch is refused as a whole, and the destination then fails every row sent alone for
// a transient reason (it went down meanwhile): that outage must reach the breaker as one,
// not pass for rows that were merely not delivered.
TEST_F(RelayLoopTest, ATransientFailureWhileSendingOneByOneCountsAgainstTheBreaker) {
  add_rows(3);
  destination_.script = [](const std::vector<OutboxMessage>& batch) {
    if (batch.size() > 1) {
      return ScriptedDestination::call_failed(
          batch, aws::AwsError{400, "ValidationException", "item too large", false});
    }
    return ScriptedDestination::call_failed(
        batch, aws::AwsError{0, "Transport", "connection refused", true});
  };
  start();
  ASSERT_TRUE(
      eventually([&] { return loop_->breaker().state() == resilience::BreakerState::open; }));
  EXPECT_EQ(on_loop([&] { return delivered(); }), 0);
  on_loop([&] {
    for (const auto& row : store_.rows(OutboxTopic::events)) {
      EXPECT_TRUE(row.undeliverable.empty()) << "a transient failure is no row's fault";
    }
    return 0;
  });
}

TEST_F(RelayLoopTest, TransientFailuresOpenTheBreakerAndAProbeClosesIt) {
  add_rows(3);
  std::atomic<bool> healthy{false};
  destination_.script = [&healthy](const std::vector<OutboxMessage>& batch) {
    return healthy ? ScriptedDestination::all_delivered(batch)
                   : ScriptedDestination::call_failed(
                         batch, aws::AwsError{0, "Transport", "connection refused", true});
  };
  start();
  ASSERT_TRUE(
      eventually([&] { return loop_->breaker().state() == resilience::BreakerState::open; }));
  // While open, batches are released without a call.
  const auto calls_when_open = on_loop([&] { return destination_.batch_sizes.size(); });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(on_loop([&] { return destination_.batch_sizes.size(); }), calls_when_open);
  EXPECT_EQ(on_loop([&] { return delivered(); }), 0);
  healthy = true;
  ASSERT_TRUE(eventually([&] { return delivered() == 3; }));
  EXPECT_EQ(loop_->breaker().state(), resilience::BreakerState::closed);
  EXPECT_NE(metrics_.render().find(
                R"(circuit_breaker_transitions_total{from="closed",name="sqs",to="open"} 1)"),
            std::string::npos);
}

TEST_F(RelayLoopTest, AWakeUpEndsTheIdleWaitAtOnce) {
  auto options = fast_options();
  options.poll_interval = 60s;
  start(options);
  ASSERT_TRUE(eventually([&] { return store_.claims == 1; }));  // found nothing, now idle
  on_loop([&] {
    store_.add(OutboxTopic::events, 1, "{}");
    return 0;
  });
  loop_->wake();
  EXPECT_TRUE(eventually([&] { return delivered() == 1; }, 2s));
}

TEST_F(RelayLoopTest, ADestinationFoundGoneIsPreparedAgain) {
  add_rows(2);
  int calls = 0;
  destination_.script = [&calls](const std::vector<OutboxMessage>& batch) {
    return ++calls == 1 ? ScriptedDestination::call_failed(
                              batch, aws::AwsError{400, "QueueDoesNotExist", "gone", false})
                        : ScriptedDestination::all_delivered(batch);
  };
  start();
  ASSERT_TRUE(eventually([&] { return delivered() == 2; }));
  EXPECT_EQ(on_loop([&] { return destination_.prepares; }), 2);
}

TEST_F(RelayLoopTest, ADatabaseOutageIsWaitedOut) {
  add_rows(2);
  store_.unavailable = true;
  start();
  ASSERT_TRUE(eventually([&] { return destination_.prepares == 1; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(on_loop([&] { return delivered(); }), 0);
  on_loop([&] {
    store_.unavailable = false;
    return 0;
  });
  EXPECT_TRUE(eventually([&] { return delivered() == 2; }));
}

TEST_F(RelayLoopTest, HousekeepingShowsTheBacklogAndPrunesDeliveredRows) {
  add_rows(3);
  store_.rows(OutboxTopic::events)[0].delivered = true;  // before the loop's thread starts
  auto options = fast_options();
  options.housekeeping_interval = 10ms;
  OutboxHousekeeping housekeeping({OutboxTopic::events}, store_, options, metrics_);
  housekeeping.start(ioc_.get_executor());
  thread_ = std::thread([this] { ioc_.run(); });
  EXPECT_TRUE(eventually([&] { return store_.rows(OutboxTopic::events).size() == 2; }));
  EXPECT_TRUE(eventually([&] {
    return metrics_.render().find("outbox_pending{topic=\"events\"} 2") != std::string::npos;
  }));
  EXPECT_NE(metrics_.render().find("outbox_pruned_total{topic=\"events\"} 1"), std::string::npos);
  housekeeping.stop();
  EXPECT_TRUE(housekeeping.wait(5s));
}

}  // namespace
}  // namespace sre::events
