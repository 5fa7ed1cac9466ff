#include "grade_service/grade_book.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace sre::grade_service {
namespace {

TEST(GradeBook, GradesAreTheSameEveryTimeForAStudentAndDifferBetweenStudents) {
  EXPECT_EQ(grades_for("STU-123"), grades_for("STU-123"));
  EXPECT_NE(grades_for("STU-123"), grades_for("STU-124"));
  const auto grades = grades_for("STU-9");
  ASSERT_EQ(grades.size(), 5U);
  for (const auto& grade : grades) {
    const auto mark = grade.at("grade").as_int64();
    EXPECT_GE(mark, 50);
    EXPECT_LE(mark, 100);
  }
}

TEST(GradeBook, EveryGradeIsWithin50To100AndBothEndsOccur) {
  std::int64_t lowest = 100;
  std::int64_t highest = 50;
  for (int i = 0; i < 2000; ++i) {
    for (const auto& grade : grades_for("STU-" + std::to_string(i))) {
      const auto mark = grade.at("grade").as_int64();
      ASSERT_GE(mark, 50) << i;
      ASSERT_LE(mark, 100) << i;
      lowest = std::min(lowest, mark);
      highest = std::max(highest, mark);
    }
  }
  EXPECT_EQ(lowest, 50);
  EXPECT_EQ(highest, 100);
}

}  // namespace
}  // namespace sre::grade_service
