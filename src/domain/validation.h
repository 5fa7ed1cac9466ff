// Input validation with pydantic-compatible field errors, so clients written for the original
// Python service keep working. Validation only reports what is wrong; http::local_reply renders
// the 422 {"detail":[{"loc":[...],"msg":...,"type":...}]}.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/errors.h"
#include "domain/student.h"

namespace sre::domain {

using core::FieldError;
using core::FieldErrors;

constexpr std::size_t kMaxNameLength = 100;
constexpr int kMinGrade = 1;
constexpr int kMaxGrade = 12;
enum class StudentInput {
  full,     // POST and PUT: every field required
  partial,  // PATCH: any subset, each present field valid
};

// Validates a parsed body. Names are trimmed; the result holds only the present fields.
std::variant<StudentFields, FieldErrors> validate_student(const boost::json::value& body,
                                                          StudentInput mode);

// One page of the students list, which is in storage order (Student::id). Either offset
// paging (`skip` rows first) or keyset paging (`after`: the students that follow the one with
// this public id), never both.
struct Page {
  std::int64_t skip = 0;
  int limit = 100;
  std::optional<std::string> after;
};
constexpr int kMaxPageLimit = 1000;

// Validates the list query parameters, given every value of each in order (a parameter may
// be repeated): each value must be valid, the last one counts. Absent parameters (no value)
// take their defaults. `after` must look like a generated student id and excludes `skip`.
std::variant<Page, FieldErrors> validate_page(const std::vector<std::string>& skip,
                                              const std::vector<std::string>& limit,
                                              const std::vector<std::string>& after = {});

}  // namespace sre::domain
