#include "grades/grades.h"

#include <boost/json.hpp>

namespace sre::grades {
namespace {}  // namespace

std::optional<Grades> grades_from_json(const boost::json::value& value) {
  const auto* array = value.if_array();
  if (array == nullptr) {
    return std::nullopt;
  }
  Grades out;
  for (const auto& item : *array) {
    const auto* object = item.if_object();
    if (object == nullptr) {
      return std::nullopt;
    }
    const auto* subject = object->if_contains("subject");
    const auto* grade = object->if_contains("grade");
    if (subject == nullptr || !subject->is_string() || grade == nullptr || !grade->is_int64()) {
      return std::nullopt;
    }
    out.push_back({std::string(subject->get_string()), static_cast<int>(grade->get_int64())});
  }
  return out;
}

}  // namespace sre::grades
