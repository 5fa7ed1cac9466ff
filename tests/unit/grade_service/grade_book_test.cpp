#include "grade_service/grade_book.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sre::grade_service
