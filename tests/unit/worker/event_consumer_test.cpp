// The consumer's loop against an in-memory source and store: effects applied once per
// event_id, acknowledged only once applied, malformed events set aside without stopping the
// loop, database failures handed back for a later delivery, holds renewed for slow batches,
// and stop() finishing the batch in hand.
#include "worker/event_consumer.h"

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "store/student_store.h"

namespace sre::worker {
namespace {

namespace asio = boost::asio;
using domain::ChangeKind;

std::string created_event(const std::string& id, int grade) {
  return R"({"event_id":")" + id +
         R"(","event_type":"student_created","data":{"student_id":"STU-0000000A","name":"Ada L",)"
         R"("first_name":"Ada","last_name":"L","grade":)" +
         std::to_string(grade) +
         R"(},"timestamp":"2026-11-30T08:00:00.000000Z","correlation_id":"r"})";
}

DeliveredEvent delivered(std::string body, const std::string& id) {
  return {std::move(body), id, id, 1};
}

std::vector<std::string> ids(const std::vector<DeliveredEvent>& events) {
  std::vector<std::string> out;
  out.reserve(events.size());
  for (const auto& e : events) {
    out.push_back(e.message_id);
  }
  return out;
}

// Hands out the batches it was given, then stops the consumer (through on_empty).
class FakeSource : public EventSource {
 public:
  std::string_view name() const override { return "fake"; }
  asio::awaitable<std::vector<DeliveredEvent>> receive() override {
    if (on_receive) {
      on_receive();
    }
    if (batches.empty()) {
      on_empty();
      co_return std::vector<DeliveredEvent>{};
    }
    auto batch = std::move(batches.front());
    batches.pop_front();
    co_return batch;
  }
  asio::awaitable<std::size_t> acknowledge(std::vector<DeliveredEvent> events) override {
    for (auto& e : events) {
      acknowledged.push_back(std::move(e));
    }
    co_return events.size();
  }
  asio::awaitable<std::size_t> retry_later(std::vector<DeliveredEvent> events) override {
    for (auto& e : events) {
      retried.push_back(std::move(e));
    }
    co_return events.size();
  }
  asio::awaitable<std::size_t> set_aside(DeliveredEvent event, std::string reason) override {
    set_aside_events.push_back(std::move(event));
    reasons.push_back(std::move(reason));
    co_return 1;
  }
  std::optional<std::chrono::seconds> hold() const override { return hold_period; }
  asio::awaitable<std::size_t> extend(std::vector<DeliveredEvent> events) override {
    extended.push_back(ids(events));
    co_return events.size();
  }
  void interrupt() override { ++interrupts; }

  std::deque<std::vector<DeliveredEvent>> batches;
  std::function<void()> on_empty;
  std::function<void()> on_receive;
  std::optional<std::chrono::seconds> hold_period;
  std::vector<DeliveredEvent> acknowledged;
  std::vector<DeliveredEvent> retried;
  std::vector<DeliveredEvent> set_aside_events;
  std::vector<std::string> reasons;
  std::vector<std::vector<std::string>> extended;
  int interrupts = 0;
};

// apply_event as the real stores do it: once per event_id. `fail_next` makes the next calls
// throw StoreUnavailable; `on_apply` runs before each.
class FakeEventStore : public store::EventStore {
 public:
  asio::awaitable<std::vector<store::OutboxMessage>> claim(store::OutboxTopic, int,
                                                           std::chrono::seconds) override {
    throw std::logic_error("not used");
  }
  asio::awaitable<std::int64_t> mark_delivered(store::OutboxTopic,
                                               std::vector<std::int64_t>) override {
    throw std::logic_error("not used");
  }
  asio::awaitable<std::int64_t> release(store::OutboxTopic, std::vector<std::int64_t>) override {
    throw std::logic_error("not used");
  }
  asio::awaitable<std::int64_t> mark_undeliverable(store::OutboxTopic, std::vector<std::int64_t>,
                                                   std::string) override {
    throw std::logic_error("not used");
  }
  asio::awaitable<store::OutboxBacklog> backlog(store::OutboxTopic) override {
    throw std::logic_error("not used");
  }
  asio::awaitable<std::int64_t> prune_delivered(store::OutboxTopic, std::chrono::seconds) override {
    throw std::logic_error("not used");
  }
  asio::awaitable<bool> apply_event(store::EventEffects effects) override {
    if (on_apply) {
      on_apply();
    }
    if (fail_next > 0) {
      --fail_next;
      throw store::StoreUnavailable("database is down");
    }
    if (!processed.insert(effects.event_id).second) {
      co_return false;
    }
    for (const auto& delta : effects.enrollment) {
      enrollment[delta.grade] += delta.delta;
    }
    welcomes += effects.welcome ? 1 : 0;
    co_return true;
  }
  asio::awaitable<std::vector<store::GradeEnrollment>> grade_enrollment() override {
    throw std::logic_error("not used");
  }
  asio::awaitable<std::int64_t> welcome_notifications() override {
    throw std::logic_error("not used");
  }
  asio::awaitable<std::vector<std::string>> audit_records(std::string, int) override {
    throw std::logic_error("not used");
  }

  std::set<std::string> processed;
  std::map<int, int> enrollment;
  int welcomes = 0;
  int fail_next = 0;
  std::function<void()> on_apply;
};

struct EventConsumerTest : ::testing::Test {
  asio::io_context io;
  FakeSource source;
  FakeEventStore store;
  WorkerMetrics metrics;
  // The database answers again after `probe_failures` failed probes.
  int probe_failures = 0;
  std::vector<std::string> calls;  // "receive" and "probe", in order
  std::vector<bool> consuming_while_probing;
  EventConsumer::DatabaseProbe probe = [this]() -> asio::awaitable<void> {
    calls.emplace_back("probe");
    consuming_while_probing.push_back(metrics.consuming());
    if (probe_failures > 0) {
      --probe_failures;
      throw store::StoreUnavailable("still down");
    }
    co_return;
  };
  // No real waiting between failures in tests.
  EventConsumer consumer{
      source,
      store,
      probe,
      metrics,
      io.get_executor(),
      resilience::BackoffPolicy{std::chrono::milliseconds(1), std::chrono::milliseconds(1)}};

  // Runs the consumer until the source has handed out every batch.
  void run_until_drained() {
    source.on_empty = [this] { consumer.stop(); };
    std::exception_ptr failure;
    asio::co_spawn(io, consumer.run(),
                   [&failure](std::exception_ptr e) { failure = std::move(e); });
    io.run();
    if (failure) {
      std::rethrow_exception(failure);
    }
  }
};

TEST_F(EventConsumerTest, AppliesEachEventAndAcknowledgesTheBatch) {
  source.batches.push_back({delivered(created_event("a", 7), "1"),
                            delivered(created_event("b", 7), "2"),
                            delivered(created_event("c", 9), "3")});
  run_until_drained();
  EXPECT_EQ(ids(source.acknowledged), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(store.enrollment, (std::map<int, int>{{7, 2}, {9, 1}}));
  EXPECT_EQ(store.welcomes, 3);
  EXPECT_EQ(metrics.events(ChangeKind::created, Outcome::processed), 3U);
  EXPECT_TRUE(source.retried.empty());
}

// The producer's clock may run ahead of ours: its event then "arrived before it was
// committed". The lag is recorded as 0, not as a negative time that would pull the
// histogram's sum (and every average of it) down.
TEST_F(EventConsumerTest, AnEventFromAClockAheadOfOursHasALagOfZero) {
  std::string body = created_event("a", 7);
  const std::string committed = "2026-11-30T08:00:00.000000Z";
  body.replace(body.find(committed), committed.size(), "2100-01-01T00:00:00.000000Z");
  source.batches.push_back({delivered(body, "1")});
  run_until_drained();
  ASSERT_EQ(ids(source.acknowledged), (std::vector<std::string>{"1"}));
  for (const auto& family : metrics.Collect()) {
    if (family.name == "worker_event_lag_seconds") {
      ASSERT_EQ(family.metric.size(), 1U);
      EXPECT_EQ(family.metric[0].histogram.sample_count, 1U);
      EXPECT_EQ(family.metric[0].histogram.sample_sum, 0.0);
      return;
    }
  }
  FAIL() << "no worker_event_lag_seconds family";
}

TEST_F(EventConsumerTest, AnEventDeliveredAgainIsAcknowledgedWithoutApplyingItTwice) {
  source.batches.push_back({delivered(created_event("a", 7), "1")});
  source.batches.push_back({delivered(created_event("a", 7), "1-again")});
  run_until_drained();
  EXPECT_EQ(ids(source.acknowledged), (std::vector<std::string>{"1", "1-again"}));
  EXPECT_EQ(store.enrollment, (std::map<int, int>{{7, 1}}));
  EXPECT_EQ(store.welcomes, 1);
  EXPECT_EQ(metrics.events(ChangeKind::created, Outcome::processed), 1U);
  EXPECT_EQ(metrics.events(ChangeKind::created, Outcome::duplicate), 1U);
}

TEST_F(EventConsumerTest, AMalformedEventIsSetAsideAndTheLoopGoesOn) {
  source.batches.push_back({delivered(created_event("a", 7), "1"), delivered("{not json", "2"),
                            delivered(R"({"event_id":"x","event_type":"student_graduated"})", "3"),
                            delivered(created_event("b", 8), "4")});
  source.batches.push_back({delivered(created_event("c", 9), "5")});
  run_until_drained();
  EXPECT_EQ(ids(source.set_aside_events), (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(ids(source.acknowledged), (std::vector<std::string>{"1", "4", "5"}));
  EXPECT_EQ(metrics.events(std::nullopt, Outcome::malformed), 2U);
  EXPECT_EQ(store.enrollment, (std::map<int, int>{{7, 1}, {8, 1}, {9, 1}}));
}

TEST_F(EventConsumerTest, ADatabaseFailureHandsTheRestBackAndTheNextBatchIsTried) {
  source.batches.push_back({delivered(created_event("a", 7), "1"),
                            delivered(created_event("b", 7), "2"),
                            delivered(created_event("c", 7), "3")});
  source.batches.push_back(
      {delivered(created_event("b", 7), "2-again"), delivered(created_event("c", 7), "3-again")});
  int applies = 0;
  store.on_apply = [&] {
    if (++applies == 2) {
      store.fail_next = 1;
    }
  };
  run_until_drained();
  // Only what was applied is acknowledged; the failed event and the one after it come again.
  EXPECT_EQ(ids(source.retried), (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(ids(source.acknowledged), (std::vector<std::string>{"1", "2-again", "3-again"}));
  EXPECT_EQ(metrics.events(ChangeKind::created, Outcome::failed), 1U);
  EXPECT_EQ(store.enrollment, (std::map<int, int>{{7, 3}}));
}

TEST_F(EventConsumerTest, WhileTheDatabaseFailsNothingMoreIsReceived) {
  source.batches.push_back({delivered(created_event("a", 7), "1")});
  source.batches.push_back({delivered(created_event("a", 7), "1-again")});
  source.on_receive = [this] { calls.emplace_back("receive"); };
  store.fail_next = 1;
  probe_failures = 2;
  run_until_drained();
  // Each receive counts toward the dead-letter queue: none until the database answers.
  EXPECT_EQ(calls,
            (std::vector<std::string>{"receive", "probe", "probe", "probe", "receive", "receive"}));
  EXPECT_EQ(ids(source.retried), (std::vector<std::string>{"1"}));
  EXPECT_EQ(ids(source.acknowledged), (std::vector<std::string>{"1-again"}));
  EXPECT_EQ(store.enrollment, (std::map<int, int>{{7, 1}}));
  // worker_consuming is 0 while it waits for the database (the stalled-worker alert).
  EXPECT_EQ(consuming_while_probing, (std::vector<bool>{false, false, false}));
  EXPECT_FALSE(metrics.consuming());  // stopped
}

TEST_F(EventConsumerTest, ASourceWhoseHoldCanRunOutIsRenewedForWhatIsLeft) {
  source.hold_period = std::chrono::seconds(0);  // always half gone: renew before every event
  source.batches.push_back(
      {delivered(created_event("a", 7), "1"), delivered(created_event("b", 7), "2")});
  run_until_drained();
  EXPECT_EQ(source.extended, (std::vector<std::vector<std::string>>{{"1", "2"}, {"2"}}));
}

TEST_F(EventConsumerTest, AHoldThatCannotRunOutIsNeverRenewed) {
  source.batches.push_back({delivered(created_event("a", 7), "1")});
  run_until_drained();
  EXPECT_TRUE(source.extended.empty());
}

TEST_F(EventConsumerTest, StopFinishesAndSettlesTheBatchInHand) {
  source.batches.push_back(
      {delivered(created_event("a", 7), "1"), delivered(created_event("b", 7), "2")});
  source.batches.push_back({delivered(created_event("c", 7), "3")});
  store.on_apply = [&] { consumer.stop(); };  // SIGTERM while the first event is applied
  run_until_drained();
  EXPECT_EQ(ids(source.acknowledged), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(source.batches.size(), 1U);  // the next batch was never received
  EXPECT_GE(source.interrupts, 1);
}

}  // namespace
}  // namespace sre::worker
