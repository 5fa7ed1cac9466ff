// The student service on an Asio event loop with an in-memory store: id collisions are
// retried with a new id up to a limit, unknown ids are not found (and impossible ones cost no
// store read), writes are told to the change listener, creations are counted, every write
// hands the store its event and audit record, idempotency keys replay the first answer.
#include "students/student_service.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <set>

#include "students/fake_student_store.h"

namespace sre::students {
namespace {

namespace asio = boost::asio;
using testing::FakeStudentStore;
using testing::full_fields;

// Coroutine arguments are named (g++ 12 mishandles temporary arguments of coroutine calls).
const WriteContext kAnyone{};
const std::optional<std::string> kKey1("key-1");
const std::optional<std::string> kKey2("key-2");

// Runs `body` to completion on a fresh event loop; rethrows what it threw.
template <typename Body>
void run(Body body) {
  asio::io_context io;
  std::exception_ptr failure;
  asio::co_spawn(io, body(), [&failure](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) {
    std::rethrow_exception(failure);
  }
}

double counter_value(obs::Metrics& metrics, const std::string& name) {
  for (const auto& family : metrics.registry().Collect()) {
    if (family.name == name && !family.metric.empty()) {
      return family.metric.front().counter.value;
    }
  }
  return -1;
}

class RecordingListener : public StudentChangeListener {
 public:
  asio::awaitable<bool> student_changed(const std::string& student_id) override {
    changed.push_back(student_id);
    co_return true;
  }
  std::vector<std::string> changed;
};

struct StudentServiceTest : ::testing::Test {
  FakeStudentStore store;
  obs::Metrics metrics{"test"};
  RecordingListener listener;
  StudentService service{store, metrics, &listener};
};

TEST_F(StudentServiceTest, RedrawsTheIdWhileTheStoreReportsItTaken) {
  store.taken_inserts = 2;
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone);
    if (!std::holds_alternative<Created>(created)) {
      ADD_FAILURE() << "no student created";
      co_return;
    }
    const auto& student = std::get<Created>(created).student;
    EXPECT_EQ(store.inserted_ids.size(), 3U);
    EXPECT_EQ(std::set<std::string>(store.inserted_ids.begin(), store.inserted_ids.end()).size(),
              3U)
        << "each attempt draws a new id";
    EXPECT_EQ(student.student_id, store.inserted_ids.back());
    EXPECT_TRUE(core::is_generated_student_id(student.student_id));
  });
  EXPECT_EQ(counter_value(metrics, "students_created_total"), 1);
}

TEST_F(StudentServiceTest, GivesUpAfterTheAttemptLimitWithoutCountingACreation) {
  store.taken_inserts = 1000;
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone);
    const auto* gave_up = std::get_if<NoFreeStudentId>(&created);
    EXPECT_TRUE(gave_up != nullptr && gave_up->attempts == StudentService::kMaxIdAttempts);
  });
  EXPECT_EQ(store.inserted_ids.size(), static_cast<std::size_t>(StudentService::kMaxIdAttempts));
  EXPECT_EQ(counter_value(metrics, "students_created_total"), 0);
}

TEST_F(StudentServiceTest, CountsEveryCreation) {
  run([&]() -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone);
    }
  });
  EXPECT_EQ(counter_value(metrics, "students_created_total"), 3);
}

TEST_F(StudentServiceTest, ImpossibleIdsAreNotFoundWithoutAStoreRead) {
  run([&]() -> asio::awaitable<void> {
    // Each answer named first: g++ 12 mishandles co_await inside a condition.
    auto found = co_await service.find("not-an-id");
    EXPECT_FALSE(found);
    auto lowercase = co_await service.find("STU-abcdef12");  // never drawn
    EXPECT_FALSE(lowercase);
    auto updated = co_await service.update("not-an-id", full_fields("A", "B", 1), kAnyone);
    EXPECT_FALSE(updated);
    bool removed = co_await service.remove("not-an-id", kAnyone);
    EXPECT_FALSE(removed);
  });
  EXPECT_EQ(store.finds, 0);
  EXPECT_TRUE(listener.changed.empty());
}

TEST_F(StudentServiceTest, MissingStudentsAreNotFoundAndNotAnnounced) {
  run([&]() -> asio::awaitable<void> {
    auto found = co_await service.find("STU-00000000");
    EXPECT_FALSE(found);
    auto updated = co_await service.update("STU-00000000", full_fields("A", "B", 1), kAnyone);
    EXPECT_FALSE(updated);
    bool removed = co_await service.remove("STU-00000000", kAnyone);
    EXPECT_FALSE(removed);
  });
  // find, and the reads of update and delete (their records describe the row as read).
  EXPECT_EQ(store.finds, 3);
  EXPECT_TRUE(listener.changed.empty()) << "nothing changed, nothing to drop";
}

TEST_F(StudentServiceTest, UpdatesAndDeletesAreAnnouncedAfterTheyCommit) {
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone);
    const std::string id = std::get<Created>(created).student.student_id;
    EXPECT_TRUE(listener.changed.empty()) << "a new student has no copies to drop";

    domain::StudentFields patch;
    patch.grade = 8;
    auto updated = co_await service.update(id, patch, kAnyone);
    EXPECT_TRUE(updated && updated->grade == 8 && updated->first_name == "Ada");
    EXPECT_EQ(listener.changed, std::vector<std::string>{id});

    bool removed = co_await service.remove(id, kAnyone);
    EXPECT_TRUE(removed);
    EXPECT_EQ(listener.changed, (std::vector<std::string>{id, id}));
    auto found = co_await service.find(id);
    EXPECT_FALSE(found);
  });
}

boost::json::value json_of(const std::string& text) {
  return boost::json::parse(text);
}

TEST_F(StudentServiceTest, EveryWriteHandsTheStoreItsEventAndAuditRecord) {
  int wakes = 0;
  StudentService service{store, metrics, &listener, {}, [&wakes] { ++wakes; }};
  const WriteContext context{"alice", "req-42"};
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7), context);
    const std::string id = std::get<Created>(created).student.student_id;
    domain::StudentFields patch;
    patch.grade = 8;
    co_await service.update(id, patch, context);
    co_await service.remove(id, context);
  });
  ASSERT_EQ(store.outbox.size(), 3U);
  EXPECT_EQ(wakes, 3) << "each committed write wakes the relay once";
  const std::string id = store.inserted_ids.front();

  auto created = json_of(store.outbox[0].event_body);
  EXPECT_EQ(store.outbox[0].event_type, "student_created");
  EXPECT_EQ(created.at("event_id"), store.outbox[0].event_id.c_str());
  EXPECT_EQ(created.at("data").at("student_id"), id.c_str());
  EXPECT_EQ(created.at("data").at("name"), "Ada Lovelace");
  EXPECT_EQ(created.at("correlation_id"), "req-42");

  auto updated = json_of(store.outbox[1].event_body);
  EXPECT_EQ(updated.at("event_type"), "student_updated");
  EXPECT_EQ(updated.at("data").at("grade"), 8);
  EXPECT_EQ(updated.at("data").at("previous").at("grade"), 7);
  auto update_audit = json_of(store.outbox[1].audit_record);
  EXPECT_EQ(update_audit.at("actor"), "alice");
  EXPECT_EQ(update_audit.at("action"), "update");
  EXPECT_EQ(update_audit.at("details").at("before").at("grade"), 7);
  EXPECT_EQ(update_audit.at("details").at("after").at("grade"), 8);
  EXPECT_EQ(update_audit.at("id"), store.outbox[1].audit_id.c_str());

  auto deleted = json_of(store.outbox[2].event_body);
  EXPECT_EQ(deleted.at("event_type"), "student_deleted");
  EXPECT_EQ(deleted.at("data").at("grade"), 8);
  EXPECT_TRUE(json_of(store.outbox[2].audit_record).at("details").at("after").is_null());

  std::set<std::string> event_ids;
  for (const auto& records : store.outbox) {
    event_ids.insert(records.event_id);
  }
  EXPECT_EQ(event_ids.size(), 3U) << "every change has its own event id";
}

TEST_F(StudentServiceTest, WithEventsDisabledNothingGoesToTheOutbox) {
  StudentService service{store, metrics, &listener, {.events_enabled = false}};
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone);
    const std::string id = std::get<Created>(created).student.student_id;
    co_await service.update(id, full_fields("A", "B", 1), kAnyone);
    co_await service.remove(id, kAnyone);
  });
  EXPECT_TRUE(store.outbox.empty());
}

TEST_F(StudentServiceTest, AnUpdateThatRacedAnotherWriteIsRecomputedFromTheNewRow) {
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone);
    const std::string id = std::get<Created>(created).student.student_id;
    store.concurrent_changes = 2;
    domain::StudentFields patch;
    patch.grade = 9;
    auto updated = co_await service.update(id, patch, kAnyone);
    EXPECT_TRUE(updated && updated->grade == 9);
  });
  EXPECT_EQ(store.outbox.size(), 2U) << "one record per committed change, none for lost races";
  EXPECT_EQ(store.finds, 3) << "the row is read again after each lost race";
  EXPECT_EQ(counter_value(metrics, "student_write_conflicts_total"), 2);
}

TEST_F(StudentServiceTest, AnUpdateThatKeepsLosingGivesUpAsUnavailable) {
  std::string id;
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone);
    id = std::get<Created>(created).student.student_id;
  });
  store.concurrent_changes = StudentService::kMaxWriteAttempts;
  EXPECT_THROW(run([&]() -> asio::awaitable<void> { co_await service.remove(id, kAnyone); }),
               store::StoreUnavailable);
  EXPECT_EQ(store.students.count(id), 1U);
}

TEST_F(StudentServiceTest, TheSameKeyAndBodyReplayTheFirstAnswer) {
  run([&]() -> asio::awaitable<void> {
    CreateResult first = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone, kKey1);
    CreateResult again = co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone, kKey1);
    const auto& a = std::get<Created>(first);
    const auto& b = std::get<Created>(again);
    EXPECT_FALSE(a.replayed);
    EXPECT_TRUE(b.replayed);
    EXPECT_EQ(a.student.student_id, b.student.student_id);
    EXPECT_EQ(a.student.created_at, b.student.created_at);

    CreateResult other = co_await service.create(full_fields("Ada", "Lovelace", 8), kAnyone, kKey1);
    EXPECT_TRUE(std::holds_alternative<IdempotencyKeyReused>(other));
    CreateResult new_key =
        co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone, kKey2);
    EXPECT_FALSE(std::get<Created>(new_key).replayed);
  });
  EXPECT_EQ(store.students.size(), 2U);
  EXPECT_EQ(store.outbox.size(), 2U) << "a replay writes no event";
  EXPECT_EQ(counter_value(metrics, "students_created_total"), 2);
  EXPECT_EQ(counter_value(metrics, "idempotent_replays_total"), 1);
  EXPECT_EQ(counter_value(metrics, "idempotency_key_conflicts_total"), 1);
}

TEST_F(StudentServiceTest, AnExpiredKeyIsStoredAgainWithTheNewStudent) {
  run([&]() -> asio::awaitable<void> {
    co_await service.create(full_fields("Ada", "Lovelace", 7), kAnyone, kKey1);
    store.expired_keys.insert("key-1");
    CreateResult later = co_await service.create(full_fields("Ada", "Lovelace", 8), kAnyone, kKey1);
    const auto* created = std::get_if<Created>(&later);
    EXPECT_TRUE(created != nullptr && !created->replayed);
    EXPECT_EQ(store.keys.at("key-1").student.grade, 8);
  });
  EXPECT_EQ(store.students.size(), 2U);
}

}  // namespace
}  // namespace sre::students
