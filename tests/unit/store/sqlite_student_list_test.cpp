// The students list on a real SQLite file (a fresh one per test): keyset pages walk the
// storage order, which is not the order of the random public ids; the next-page flag; a
// cursor whose student is gone. The PostgreSQL statement is walked end to end in
// tests/e2e/test_paging.py.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>

#include "store/sqlite/sqlite_student_store.h"

namespace sre::store {
namespace {

namespace asio = boost::asio;

// Runs `body` to completion on a fresh event loop and returns its value.
template <typename Body>
auto run(Body body) {
  asio::io_context io;
  auto future = asio::co_spawn(io, body(), asio::use_future);
  io.run();
  return future.get();
}

struct SqliteStudentListTest : ::testing::Test {
  // Public ids out of their sorted order, as random ones are: storage order differs from it.
  const std::vector<std::string> inserted{"STU-000000F0", "STU-00000001", "STU-0000A000",
                                          "STU-00000010", "STU-FFFFFFFF", "STU-00000002",
                                          "STU-0000000A"};

  SqliteStudentListTest() {
    std::filesystem::remove_all(dir);
    store.migrate();
    for (const auto& id : inserted) {
      insert(id);
    }
  }
  ~SqliteStudentListTest() override { std::filesystem::remove_all(dir); }

  void insert(const std::string& student_id) {
    std::optional<OutboxRecords> no_records;
    std::optional<IdempotencyKey> no_key;
    domain::StudentFields fields{"Ada", "Lovelace", 7};
    auto outcome = run([&]() -> asio::awaitable<InsertOutcome> {
      co_return co_await store.insert(student_id, fields, no_records, no_key);
    });
    ASSERT_TRUE(std::holds_alternative<domain::Student>(outcome));
  }

  void remove(const std::string& student_id) {
    std::optional<std::string> any_version;
    std::optional<OutboxRecords> no_records;
    ASSERT_TRUE(run([&]() -> asio::awaitable<bool> {
      co_return co_await store.remove(student_id, any_version, no_records);
    }));
  }

  ListOutcome list(domain::Page page) {
    return run([&]() -> asio::awaitable<ListOutcome> { co_return co_await store.list(page); });
  }

  static std::vector<std::string> ids(const StudentPage& page) {
    std::vector<std::string> out;
    for (const auto& student : page.students) {
      out.emplace_back(student.student_id);
    }
    return out;
  }

  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("sre-student-list-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  SqliteStudentStore store{(dir / "test.db").string(), 1};
};

TEST_F(SqliteStudentListTest, AKeysetWalkGivesEveryStudentOnceInStorageOrder) {
  std::vector<std::string> walked;
  std::optional<std::string> after;
  int pages = 0;
  for (bool more = true; more; ++pages) {
    ASSERT_LT(pages, 10) << "the walk does not end";
    auto outcome = list({.limit = 2, .after = after});
    ASSERT_TRUE(std::holds_alternative<StudentPage>(outcome));
    const auto& page = std::get<StudentPage>(outcome);
    ASSERT_FALSE(page.students.empty());
    ASSERT_LE(page.students.size(), 2U);
    for (const auto& id : ids(page)) {
      walked.push_back(id);
    }
    after = page.students.back().student_id;
    more = page.more;
  }
  EXPECT_EQ(walked, inserted);
  EXPECT_EQ(pages, 4);
}

TEST_F(SqliteStudentListTest, OffsetPagesAreTheSameOrderAndSayWhetherMoreFollow) {
  auto first = std::get<StudentPage>(list({.skip = 0, .limit = 3, .after = {}}));
  EXPECT_EQ(ids(first), std::vector<std::string>(inserted.begin(), inserted.begin() + 3));
  EXPECT_TRUE(first.more);
  auto exact_end = std::get<StudentPage>(list({.skip = 4, .limit = 3, .after = {}}));
  EXPECT_EQ(ids(exact_end), std::vector<std::string>(inserted.begin() + 4, inserted.end()));
  EXPECT_FALSE(exact_end.more) << "a last page that is exactly full links no next page";
  auto after_fourth = std::get<StudentPage>(list({.limit = 3, .after = inserted[3]}));
  EXPECT_EQ(ids(after_fourth), ids(exact_end)) << "skip and after walk the same order";
  EXPECT_FALSE(after_fourth.more);
}

TEST_F(SqliteStudentListTest, AfterTheLastStudentIsAnEmptyLastPage) {
  auto page = list({.limit = 5, .after = inserted.back()});
  ASSERT_TRUE(std::holds_alternative<StudentPage>(page));
  EXPECT_TRUE(std::get<StudentPage>(page).students.empty());
  EXPECT_FALSE(std::get<StudentPage>(page).more);
}

TEST_F(SqliteStudentListTest, ACursorWhoseStudentIsGoneIsUnknownNotTheEnd) {
  EXPECT_TRUE(std::holds_alternative<UnknownCursor>(list({.limit = 5, .after = "STU-12345678"})));
  remove(inserted[2]);
  EXPECT_TRUE(std::holds_alternative<UnknownCursor>(list({.limit = 5, .after = inserted[2]})));
  auto from_previous = std::get<StudentPage>(list({.limit = 5, .after = inserted[1]}));
  EXPECT_EQ(ids(from_previous), std::vector<std::string>(inserted.begin() + 3, inserted.end()));
}

TEST_F(SqliteStudentListTest, StudentsAddedDuringAWalkComeAfterTheRowsAlreadyThere) {
  auto first = std::get<StudentPage>(list({.limit = 3, .after = {}}));
  insert("STU-00000000");  // sorts first by public id, but is stored last
  std::vector<std::string> walked = ids(first);
  auto rest = std::get<StudentPage>(list({.limit = 100, .after = walked.back()}));
  for (const auto& id : ids(rest)) {
    walked.push_back(id);
  }
  std::vector<std::string> expected = inserted;
  expected.emplace_back("STU-00000000");
  EXPECT_EQ(walked, expected);
}

}  // namespace
}  // namespace sre::store
