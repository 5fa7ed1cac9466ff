// Grades as the grade service answers them (its wire format), as the API's client reads them.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sre::grades {

struct Grade {
  std::string subject;
  int grade = 0;
};
using Grades = std::vector<Grade>;

// Parses the "grades" array of a grade-service answer; nullopt when it is not that shape.
std::optional<Grades> grades_from_json(const boost::json::value& value);

// Whether `id` is safe to put in a URL path and a log line: 1..64 characters of
// [A-Za-z0-9_-]. Looser than core::is_generated_student_id on purpose: grades are asked for by
// id alone (the student does not have to exist here), and the seed's demo id STU-123 must work.
bool is_path_safe_student_id(std::string_view id);

}  // namespace sre::grades
