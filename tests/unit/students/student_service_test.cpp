// The student service on an Asio event loop with an in-memory store: id collisions are
// retried with a new id up to a limit, unknown ids are not found (and impossible ones cost no
// store read), writes are told to the change listener, creations are counted.
#include "students/student_service.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <set>

#include "students/fake_student_store.h"

namespace sre::students {
namespace {

namespace asio = boost::asio;
using testing::FakeStudentStore;
using testing::full_fields;

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
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7));
    if (!std::holds_alternative<domain::Student>(created)) {
      ADD_FAILURE() << "no student created";
      co_return;
    }
    const auto& student = std::get<domain::Student>(created);
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
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7));
    const auto* gave_up = std::get_if<NoFreeStudentId>(&created);
    EXPECT_TRUE(gave_up != nullptr && gave_up->attempts == StudentService::kMaxIdAttempts);
  });
  EXPECT_EQ(store.inserted_ids.size(), static_cast<std::size_t>(StudentService::kMaxIdAttempts));
  EXPECT_EQ(counter_value(metrics, "students_created_total"), 0);
}

TEST_F(StudentServiceTest, CountsEveryCreation) {
  run([&]() -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      co_await service.create(full_fields("Ada", "Lovelace", 7));
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
    auto updated = co_await service.update("not-an-id", full_fields("A", "B", 1));
    EXPECT_FALSE(updated);
    bool removed = co_await service.remove("not-an-id");
    EXPECT_FALSE(removed);
  });
  EXPECT_EQ(store.finds, 0);
  EXPECT_TRUE(listener.changed.empty());
}

TEST_F(StudentServiceTest, MissingStudentsAreNotFoundAndNotAnnounced) {
  run([&]() -> asio::awaitable<void> {
    auto found = co_await service.find("STU-00000000");
    EXPECT_FALSE(found);
    auto updated = co_await service.update("STU-00000000", full_fields("A", "B", 1));
    EXPECT_FALSE(updated);
    bool removed = co_await service.remove("STU-00000000");
    EXPECT_FALSE(removed);
  });
  EXPECT_EQ(store.finds, 1);
  EXPECT_TRUE(listener.changed.empty()) << "nothing changed, nothing to drop";
}

TEST_F(StudentServiceTest, UpdatesAndDeletesAreAnnouncedAfterTheyCommit) {
  run([&]() -> asio::awaitable<void> {
    CreateResult created = co_await service.create(full_fields("Ada", "Lovelace", 7));
    const std::string id = std::get<domain::Student>(created).student_id;
    EXPECT_TRUE(listener.changed.empty()) << "a new student has no copies to drop";

    domain::StudentFields patch;
    patch.grade = 8;
    auto updated = co_await service.update(id, patch);
    EXPECT_TRUE(updated && updated->grade == 8 && updated->first_name == "Ada");
    EXPECT_EQ(listener.changed, std::vector<std::string>{id});

    bool removed = co_await service.remove(id);
    EXPECT_TRUE(removed);
    EXPECT_EQ(listener.changed, (std::vector<std::string>{id, id}));
    auto found = co_await service.find(id);
    EXPECT_FALSE(found);
  });
}

}  // namespace
}  // namespace sre::students
