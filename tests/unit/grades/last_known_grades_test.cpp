#include "grades/last_known_grades.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <thread>

#include "grades/grades.h"

namespace sre::grades {
namespace {

TEST(LastKnownGrades, RecallsWhatWasRememberedAndNothingElse) {
  InProcessLastKnownGrades table(64);
  EXPECT_FALSE(table.recall("STU-1"));
  table.remember("STU-1", R"([{"subject":"Art","grade":90}])");
  EXPECT_EQ(table.recall("STU-1"), R"([{"subject":"Art","grade":90}])");
  EXPECT_FALSE(table.recall("STU-2"));
  table.remember("STU-1", "[]");
  EXPECT_EQ(table.recall("STU-1"), "[]");
}

TEST(LastKnownGrades, ACollisionEvictsTheOlderStudent) {
  InProcessLastKnownGrades table(1);  // one slot: every student collides
  table.remember("STU-1", "[1]");
  table.remember("STU-2", "[2]");
  EXPECT_FALSE(table.recall("STU-1"));
  EXPECT_EQ(table.recall("STU-2"), "[2]");
}

// At the boundary: an entry of exactly kSlotBytes fills every word of its slot (the asan-ubsan
// build reports a write past the slot, or past remember()'s buffer, if the constant is wrong).
TEST(LastKnownGrades, AnEntryFillingItsSlotIsKeptAndOneByteMoreIsNot) {
  InProcessLastKnownGrades table(4);
  const std::string id = "STU-1";
  table.remember(id, std::string(InProcessLastKnownGrades::kSlotBytes - id.size() + 1, 'x'));
  EXPECT_FALSE(table.recall(id));
  const std::string fills(InProcessLastKnownGrades::kSlotBytes - id.size(), 'y');
  table.remember(id, fills);
  EXPECT_EQ(table.recall(id), fills);
}

TEST(LastKnownGrades, ConcurrentReadersNeverSeeATornValue) {
  InProcessLastKnownGrades table(1);
  const std::string a(200, 'a');
  const std::string b(300, 'b');
  // The writer goes on until the reader has overlapped it for a while: a fixed number of
  // writes could all finish before a loaded machine first schedules the reader. The cap ends
  // the test (failing on reads) if recall() never finds anything.
  constexpr int kWantedReads = 20000;
  constexpr int kMaxWrites = 20000000;
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::thread writer([&] {
    for (int i = 0; i < kMaxWrites && reads.load(std::memory_order_relaxed) < kWantedReads; ++i) {
      table.remember("STU-1", (i % 2) != 0 ? a : b);
    }
    stop = true;
  });
  while (!stop) {
    if (auto value = table.recall("STU-1")) {
      ASSERT_TRUE(*value == a || *value == b);
      reads.fetch_add(1, std::memory_order_relaxed);
    }
  }
  writer.join();
  EXPECT_GT(reads.load(), 0);
}

TEST(Grades, ReadsTheGradeServiceAnswerAndChecksIds) {
  auto parsed = grades_from_json(
      boost::json::parse(R"([{"subject":"Mathematics","grade":71},{"subject":"Art","grade":50}])"));
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 2U);
  EXPECT_EQ((*parsed)[1].subject, "Art");
  EXPECT_EQ((*parsed)[1].grade, 50);
  EXPECT_FALSE(grades_from_json(boost::json::parse(R"([{"subject":"Art"}])")));
  EXPECT_FALSE(grades_from_json(boost::json::parse(R"({"grades":[]})")));
}

}  // namespace
}  // namespace sre::grades
