// The EventStore on a real SQLite file (a fresh one per test): the relay's claim, lease,
// delivery and give-up bookkeeping, the backlog figures, pruning, the worker's idempotent
// effects and the local audit log. The PostgreSQL implementation runs the same operations as
// single statements; the end-to-end relay and worker tests drive it against a real server.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <thread>

#include "store/sqlite/sqlite_student_store.h"

namespace sre::store {
namespace {

namespace asio = boost::asio;
using std::chrono::seconds;

// Runs `body` to completion on a fresh event loop and returns its value.
template <typename Body>
auto run(Body body) {
  asio::io_context io;
  auto future = asio::co_spawn(io, body(), asio::use_future);
  io.run();
  return future.get();
}

struct SqliteEventStoreTest : ::testing::Test {
  SqliteEventStoreTest() {
    std::filesystem::remove_all(dir);
    store.migrate();
  }
  ~SqliteEventStoreTest() override { std::filesystem::remove_all(dir); }

  // Creates a student with its outbox rows; returns the event id.
  std::string create(const std::string& student_id) {
    const std::string event_id = "event-" + student_id;
    std::optional<OutboxRecords> records =
        OutboxRecords{event_id, "student_created", "{\"event\":\"" + student_id + "\"}",
                      "audit-" + student_id, "{\"audit\":\"" + student_id + "\"}"};
    std::optional<IdempotencyKey> no_key;
    domain::StudentFields fields{"Ada", "Lovelace", 7};
    auto outcome = run([&]() -> asio::awaitable<InsertOutcome> {
      co_return co_await store.insert(student_id, fields, records, no_key);
    });
    EXPECT_TRUE(std::holds_alternative<domain::Student>(outcome));
    return event_id;
  }

  std::vector<OutboxMessage> claim(OutboxTopic topic, int limit, seconds lease = seconds(30)) {
    return run([&]() -> asio::awaitable<std::vector<OutboxMessage>> {
      co_return co_await store.claim(topic, limit, lease);
    });
  }

  OutboxBacklog backlog(OutboxTopic topic) {
    return run(
        [&]() -> asio::awaitable<OutboxBacklog> { co_return co_await store.backlog(topic); });
  }

  static std::vector<std::int64_t> sequences(const std::vector<OutboxMessage>& messages) {
    std::vector<std::int64_t> out;
    for (const auto& m : messages) {
      out.push_back(m.sequence);
    }
    return out;
  }

  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("sre-event-store-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  SqliteStudentStore store{(dir / "test.db").string(), 1};
};

TEST_F(SqliteEventStoreTest, ClaimLeasesTheOldestPendingRowsOnce) {
  create("STU-00000001");
  create("STU-00000002");
  create("STU-00000003");
  auto first = claim(OutboxTopic::events, 2);
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first[0].id, "event-STU-00000001");
  EXPECT_EQ(first[1].id, "event-STU-00000002");
  EXPECT_EQ(first[0].body, "{\"event\":\"STU-00000001\"}");
  EXPECT_EQ(first[0].student_id, "STU-00000001");
  EXPECT_EQ(first[0].attempts, 0);
  EXPECT_GE(first[0].age_seconds, 0.0);
  EXPECT_LT(first[0].age_seconds, 60.0);

  auto second = claim(OutboxTopic::events, 10);
  ASSERT_EQ(second.size(), 1U) << "leased rows are not claimed again";
  EXPECT_EQ(second[0].id, "event-STU-00000003");
  EXPECT_TRUE(claim(OutboxTopic::events, 10).empty());

  auto audit = claim(OutboxTopic::audit, 10);
  ASSERT_EQ(audit.size(), 3U) << "the audit table has its own rows and leases";
  EXPECT_EQ(audit[0].id, "audit-STU-00000001");
}

TEST_F(SqliteEventStoreTest, AnExpiredLeaseMakesTheRowClaimableAgain) {
  create("STU-00000001");
  ASSERT_EQ(claim(OutboxTopic::events, 10, seconds(1)).size(), 1U);
  EXPECT_TRUE(claim(OutboxTopic::events, 10).empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(claim(OutboxTopic::events, 10).size(), 1U) << "a relay that died leaves a lease";
}

TEST_F(SqliteEventStoreTest, DeliveredRowsLeaveTheBacklogAndReleasedOnesComeBack) {
  create("STU-00000001");
  create("STU-00000002");
  EXPECT_EQ(backlog(OutboxTopic::events).pending, 2);
  auto claimed = claim(OutboxTopic::events, 10);
  run([&]() -> asio::awaitable<bool> {
    std::vector<std::int64_t> delivered{claimed[0].sequence};
    std::vector<std::int64_t> failed{claimed[1].sequence};
    co_await store.mark_delivered(OutboxTopic::events, delivered);
    co_await store.release(OutboxTopic::events, failed);
    co_return true;
  });
  auto backlog_after = backlog(OutboxTopic::events);
  EXPECT_EQ(backlog_after.pending, 1);
  EXPECT_GE(backlog_after.oldest_age_seconds, 0.0);
  auto again = claim(OutboxTopic::events, 10);
  ASSERT_EQ(again.size(), 1U) << "a released row is claimable at once";
  EXPECT_EQ(again[0].id, "event-STU-00000002");
  EXPECT_EQ(again[0].attempts, 1);
}

TEST_F(SqliteEventStoreTest, UndeliverableRowsAreCountedAndNeverClaimed) {
  create("STU-00000001");
  auto claimed = claim(OutboxTopic::audit, 10);
  run([&]() -> asio::awaitable<bool> {
    std::vector<std::int64_t> rows = sequences(claimed);
    std::string reason = "ValidationException: item too large";
    co_await store.mark_undeliverable(OutboxTopic::audit, rows, reason);
    co_return true;
  });
  auto figures = backlog(OutboxTopic::audit);
  EXPECT_EQ(figures.pending, 0);
  EXPECT_EQ(figures.given_up, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(claim(OutboxTopic::audit, 10, seconds(0)).empty());
}

TEST_F(SqliteEventStoreTest, PruningDeletesOnlyRowsDeliveredBeforeTheRetention) {
  create("STU-00000001");
  create("STU-00000002");
  auto claimed = claim(OutboxTopic::events, 1);
  auto pruned = run([&]() -> asio::awaitable<std::int64_t> {
    std::vector<std::int64_t> rows = sequences(claimed);
    co_await store.mark_delivered(OutboxTopic::events, rows);
    const std::int64_t kept = co_await store.prune_delivered(OutboxTopic::events, seconds(3600));
    EXPECT_EQ(kept, 0) << "delivered just now: inside the retention";
    co_return co_await store.prune_delivered(OutboxTopic::events, seconds(0));
  });
  EXPECT_EQ(pruned, 1);
  EXPECT_EQ(backlog(OutboxTopic::events).pending, 1) << "the pending row stays";
}

TEST_F(SqliteEventStoreTest, AnEventsEffectsApplyOnce) {
  EventEffects created{
      "e-1", "student_created", {{7, +1}}, EventEffects::Welcome{"STU-00000001", "Welcome, Ada"}};
  EventEffects moved{"e-2", "student_updated", {{7, -1}, {8, +1}}, std::nullopt};
  auto applied = run([&]() -> asio::awaitable<std::vector<bool>> {
    std::vector<bool> results;
    results.push_back(co_await store.apply_event(created));
    results.push_back(co_await store.apply_event(created));  // redelivered
    results.push_back(co_await store.apply_event(moved));
    co_return results;
  });
  EXPECT_EQ(applied, (std::vector<bool>{true, false, true}));
  auto enrollment = run([&]() -> asio::awaitable<std::vector<GradeEnrollment>> {
    co_return co_await store.grade_enrollment();
  });
  ASSERT_EQ(enrollment.size(), 2U);
  EXPECT_EQ(enrollment[0].grade, 7);
  EXPECT_EQ(enrollment[0].students, 0);
  EXPECT_EQ(enrollment[1].grade, 8);
  EXPECT_EQ(enrollment[1].students, 1);
  auto welcomes = run(
      [&]() -> asio::awaitable<std::int64_t> { co_return co_await store.welcome_notifications(); });
  EXPECT_EQ(welcomes, 1);
}

TEST_F(SqliteEventStoreTest, TheLocalAuditLogIsNewestFirst) {
  create("STU-00000001");
  create("STU-00000002");
  auto records = run([&]() -> asio::awaitable<std::vector<std::string>> {
    domain::StudentFields patch;
    patch.grade = 8;
    std::optional<std::string> any_version;
    std::optional<OutboxRecords> change =
        OutboxRecords{"event-2", "student_updated", "{}", "audit-2", "{\"second\":1}"};
    co_await store.update("STU-00000001", patch, any_version, change);
    co_return co_await store.audit_records("STU-00000001", 10);
  });
  EXPECT_EQ(records, (std::vector<std::string>{"{\"second\":1}", "{\"audit\":\"STU-00000001\"}"}));
  auto none = run([&]() -> asio::awaitable<std::vector<std::string>> {
    co_return co_await store.audit_records("STU-00000009", 10);
  });
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace sre::store
