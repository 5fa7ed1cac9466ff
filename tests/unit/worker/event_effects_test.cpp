// What each event type does: enrollment moves by grade, one welcome per new student.
#include "worker/event_effects.h"

#include <gtest/gtest.h>

namespace sre::worker {
namespace {

using domain::ChangeKind;

domain::StudentEvent event(ChangeKind kind, int grade,
                           std::optional<int> previous_grade = std::nullopt) {
  domain::StudentEvent e;
  e.event_id = "e-1";
  e.kind = kind;
  e.data = {"STU-0000000A", "Ada", "Lovelace", grade};
  if (previous_grade) {
    e.previous = domain::StudentSnapshot{"STU-0000000A", "Ada", "Lovelace", *previous_grade};
  }
  return e;
}

std::vector<std::pair<int, int>> deltas(const store::EventEffects& effects) {
  std::vector<std::pair<int, int>> out;
  for (const auto& d : effects.enrollment) {
    out.emplace_back(d.grade, d.delta);
  }
  return out;
}

TEST(EventEffects, ACreationEnrollsAndWelcomesOnce) {
  auto effects = effects_of(event(ChangeKind::created, 7));
  EXPECT_EQ(effects.event_id, "e-1");
  EXPECT_EQ(effects.event_type, "student_created");
  EXPECT_EQ(deltas(effects), (std::vector<std::pair<int, int>>{{7, +1}}));
  ASSERT_TRUE(effects.welcome);
  EXPECT_EQ(effects.welcome->student_id, "STU-0000000A");
  EXPECT_EQ(effects.welcome->message, "Welcome to grade 7, Ada Lovelace!");
}

TEST(EventEffects, AGradeChangeMovesTheStudentBetweenGrades) {
  auto effects = effects_of(event(ChangeKind::updated, 9, 7));
  EXPECT_EQ(effects.event_type, "student_updated");
  EXPECT_EQ(deltas(effects), (std::vector<std::pair<int, int>>{{7, -1}, {9, +1}}));
  EXPECT_FALSE(effects.welcome);
}

TEST(EventEffects, AnUpdateInTheSameGradeChangesNoCount) {
  auto effects = effects_of(event(ChangeKind::updated, 7, 7));
  EXPECT_TRUE(effects.enrollment.empty());
  EXPECT_FALSE(effects.welcome);
  EXPECT_EQ(effects.event_id, "e-1");  // still recorded as processed
}

TEST(EventEffects, ADeletionLeavesTheGrade) {
  auto effects = effects_of(event(ChangeKind::deleted, 4));
  EXPECT_EQ(effects.event_type, "student_deleted");
  EXPECT_EQ(deltas(effects), (std::vector<std::pair<int, int>>{{4, -1}}));
  EXPECT_FALSE(effects.welcome);
}

}  // namespace
}  // namespace sre::worker
