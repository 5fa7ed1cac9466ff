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

}  // namespace sre::grades
