// Input validation with FastAPI/pydantic-compatible error reports, so clients written for the
// original Python service keep working: 422 {"detail":[{"loc":[...],"msg":...,"type":...}]}.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/student.h"

namespace sre::domain {

struct FieldError {
  boost::json::array loc;  // e.g. ["body","grade"] or ["query","limit"]
  std::string msg;
  std::string type;
};
using FieldErrors = std::vector<FieldError>;

// {"detail":[...]} as FastAPI renders it.
boost::json::value to_json(const FieldErrors& errors);

constexpr std::size_t kMaxNameLength = 100;
constexpr int kMinGrade = 1;
constexpr int kMaxGrade = 12;
// Deeper JSON is refused before it reaches any code that recurses over it.
constexpr std::size_t kMaxJsonDepth = 32;

// Parses a request body as JSON (UTF-8, at most kMaxJsonDepth deep).
std::variant<boost::json::value, FieldErrors> parse_json_body(std::string_view body);

enum class StudentInput {
  full,     // POST and PUT: every field required
  partial,  // PATCH: any subset, each present field valid
};

// Validates a parsed body. Names are trimmed; the result holds only the present fields.
std::variant<StudentFields, FieldErrors> validate_student(const boost::json::value& body,
                                                          StudentInput mode);

struct Page {
  std::int64_t skip = 0;
  int limit = 100;
};
constexpr int kMaxPageLimit = 1000;

// Validates the list query parameters; absent parameters take their defaults.
std::variant<Page, FieldErrors> validate_page(std::optional<std::string_view> skip,
                                              std::optional<std::string_view> limit);

}  // namespace sre::domain
