#include "domain/student.h"

#include <gtest/gtest.h>

namespace sre::domain {
namespace {

// The body of GET /api/v1/students/{id}: members in the seed's order, strings escaped.
TEST(Student, JsonTextIsTheSeedsShapeExactly) {
  const Student student{12,
                        "STU-1A2B3C4D",
                        "Zoë",
                        "O\"Brien\n",
                        7,
                        "2026-11-30T08:00:00.000001Z",
                        "2026-11-30T09:00:00.000002Z"};
  EXPECT_EQ(to_json_text(student),
            R"({"id":12,"student_id":"STU-1A2B3C4D","first_name":"Zoë","last_name":"O\"Brien\n",)"
            R"("grade":7,"created_at":"2026-11-30T08:00:00.000001Z",)"
            R"("updated_at":"2026-11-30T09:00:00.000002Z"})");
}

TEST(Student, AppendJsonAddsToWhatIsThere) {
  std::string out = "[";
  append_json(out, Student{1, "STU-00000001", "A", "B", 1, "t1", "t2"});
  EXPECT_EQ(out,
            R"([{"id":1,"student_id":"STU-00000001","first_name":"A","last_name":"B","grade":1,)"
            R"("created_at":"t1","updated_at":"t2"})");
}

}  // namespace
}  // namespace sre::domain
