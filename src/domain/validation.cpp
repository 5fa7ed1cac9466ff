#include "domain/validation.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "core/ids.h"
#include "core/utf8.h"

namespace sre::domain {
namespace {

FieldError error_at(std::string_view where, std::string_view field, std::string msg,
                    std::string type) {
  boost::json::array loc{boost::json::string(where)};
  if (!field.empty()) {
    loc.emplace_back(boost::json::string(field));
  }
  return {std::move(loc), std::move(msg), std::move(type)};
}

// Unicode White_Space, and the invisible characters that pass for spaces when pasted into a
// form (zero width space, word joiner, the byte order mark): a name made only of them is
// empty, and around a name they are noise.
bool is_space(char32_t c) {
  switch (c) {
    case 0x0009:
    case 0x000A:
    case 0x000B:
    case 0x000C:
    case 0x000D:
    case 0x0020:
    case 0x0085:
    case 0x00A0:
    case 0x1680:
    case 0x180E:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0x200B:
    case 0x2060:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// Characters a name never contains: C0 and C1 controls (U+009B opens terminal escape
// sequences, like ESC [), the line and paragraph separators (JavaScript string breakers), and
// noncharacters (U+FDD0..U+FDEF and the last two code points of every plane).
bool is_forbidden(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFEU) == 0xFFFEU;
}

// A name, trimmed of spaces at both ends, with its length in code points ("Zoë" is 3) and
// whether it holds a forbidden character. The input is valid UTF-8 (the JSON parser checks).
struct ScannedName {
  std::string_view text;
  std::size_t length = 0;
  bool forbidden = false;
};

ScannedName scan_name(std::string_view utf8) {
  std::size_t first = utf8.size();  // start of the first non-space
  std::size_t last = 0;             // end of the last non-space
  std::size_t code_points = 0;
  // Spaces after `last`: part of the name only if a non-space follows (then counted and
  // checked: "A\tB" and "A\u2028B" hold a control inside, "A\t" does not).
  std::size_t pending_spaces = 0;
  bool pending_forbidden = false;
  bool forbidden = false;
  for (std::size_t pos = 0; pos < utf8.size();) {
    const std::size_t start = pos;
    const char32_t c = core::next_code_point(utf8, pos).value_or(0xFFFD);
    if (is_space(c)) {
      if (first != utf8.size()) {
        ++pending_spaces;
        pending_forbidden = pending_forbidden || is_forbidden(c);
      }
      continue;
    }
    if (first == utf8.size()) {
      first = start;
    }
    last = pos;
    code_points += pending_spaces + 1;
    forbidden = forbidden || pending_forbidden || is_forbidden(c);
    pending_spaces = 0;
    pending_forbidden = false;
  }
  if (first == utf8.size()) {
    return {};
  }
  return {utf8.substr(first, last - first), code_points, forbidden};
}

void check_name(const boost::json::object& body, std::string_view field, StudentInput mode,
                std::optional<std::string>& out, FieldErrors& errors) {
  const auto* value = body.if_contains(field);
  if (value == nullptr) {
    if (mode == StudentInput::full) {
      errors.push_back(error_at("body", field, "Field required", "missing"));
    }
    return;
  }
  if (!value->is_string()) {
    errors.push_back(error_at("body", field, "Input should be a valid string", "string_type"));
    return;
  }
  const ScannedName name = scan_name(value->get_string());
  if (name.text.empty()) {
    errors.push_back(
        error_at("body", field, "String should have at least 1 character", "string_too_short"));
  } else if (name.length > kMaxNameLength) {
    errors.push_back(error_at(
        "body", field, fmt::format("String should have at most {} characters", kMaxNameLength),
        "string_too_long"));
  } else if (name.forbidden) {
    errors.push_back(error_at("body", field, "String should not contain control characters",
                              "string_pattern_mismatch"));
  } else {
    out = std::string(name.text);
  }
}

// JSON has one number type; accept integers, and floats only when integral (10.0), as
// pydantic does. Booleans are not numbers here.
std::optional<std::int64_t> as_integer(const boost::json::value& value) {
  if (value.is_int64()) {
    return value.get_int64();
  }
  if (value.is_uint64()) {
    return value.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)
               ? std::optional<std::int64_t>(INT64_MAX)
               : static_cast<std::int64_t>(value.get_uint64());
  }
  if (value.is_double()) {
    // Integers too large for 64 bits arrive as doubles; clamp them so they fail the range
    // check with a useful message instead of "not an integer".
    double d = value.get_double();
    if (std::isfinite(d) && d == std::trunc(d)) {
      constexpr double kLimit = 9.2e18;
      return d >= kLimit ? INT64_MAX : d <= -kLimit ? INT64_MIN : static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<FieldError> check_range(std::string_view where, std::string_view field,
                                      std::int64_t value, std::int64_t min,
                                      std::optional<std::int64_t> max) {
  if (value < min) {
    return error_at(where, field, fmt::format("Input should be greater than or equal to {}", min),
                    "greater_than_equal");
  }
  if (max && value > *max) {
    return error_at(where, field, fmt::format("Input should be less than or equal to {}", *max),
                    "less_than_equal");
  }
  return std::nullopt;
}

void check_grade(const boost::json::object& body, StudentInput mode, std::optional<int>& out,
                 FieldErrors& errors) {
  const auto* value = body.if_contains("grade");
  if (value == nullptr) {
    if (mode == StudentInput::full) {
      errors.push_back(error_at("body", "grade", "Field required", "missing"));
    }
    return;
  }
  auto grade = as_integer(*value);
  if (!grade) {
    errors.push_back(error_at("body", "grade", "Input should be a valid integer", "int_type"));
    return;
  }
  if (auto range_error = check_range("body", "grade", *grade, kMinGrade, kMaxGrade)) {
    errors.push_back(std::move(*range_error));
    return;
  }
  out = static_cast<int>(*grade);
}

// Parses every value of one integer query parameter (a repeated parameter is validated in
// full) and keeps the last, as FastAPI does; on the first bad value appends its error to
// `errors` and returns nullopt. No value at all: `fallback`.
std::optional<std::int64_t> query_integer(const std::vector<std::string>& texts,
                                          std::string_view name, std::int64_t fallback,
                                          std::int64_t min, std::optional<std::int64_t> max,
                                          FieldErrors& errors) {
  std::int64_t value = fallback;
  for (const std::string& text : texts) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) {
      errors.push_back(error_at("query", name,
                                "Input should be a valid integer, unable to parse string as an "
                                "integer",
                                "int_parsing"));
      return std::nullopt;
    }
    if (auto range_error = check_range("query", name, value, min, max)) {
      errors.push_back(std::move(*range_error));
      return std::nullopt;
    }
  }
  return value;
}

// Every value of `after` must be a student id as generated (the last counts); nullopt for
// none, or on the first bad value with its error appended to `errors`.
std::optional<std::string> query_student_id(const std::vector<std::string>& texts,
                                            std::string_view name, FieldErrors& errors) {
  for (const std::string& text : texts) {
    if (!core::is_generated_student_id(text)) {
      errors.push_back(error_at("query", name, "String should match pattern '^STU-[0-9A-F]{8}$'",
                                "string_pattern_mismatch"));
      return std::nullopt;
    }
  }
  return texts.empty() ? std::nullopt : std::optional<std::string>(texts.back());
}

}  // namespace

std::variant<StudentFields, FieldErrors> validate_student(const boost::json::value& body,
                                                          StudentInput mode) {
  if (!body.is_object()) {
    return FieldErrors{error_at("body", "",
                                "Input should be a valid dictionary or object to extract fields "
                                "from",
                                "model_attributes_type")};
  }
  const auto& object = body.get_object();
  StudentFields fields;
  FieldErrors errors;
  check_name(object, "first_name", mode, fields.first_name, errors);
  check_name(object, "last_name", mode, fields.last_name, errors);
  check_grade(object, mode, fields.grade, errors);
  if (!errors.empty()) {
    return errors;
  }
  return fields;
}

std::variant<Page, FieldErrors> validate_page(const std::vector<std::string>& skip,
                                              const std::vector<std::string>& limit,
                                              const std::vector<std::string>& after) {
  FieldErrors errors;
  auto skip_value = query_integer(skip, "skip", 0, 0, std::nullopt, errors);
  auto limit_value = query_integer(limit, "limit", 100, 1, kMaxPageLimit, errors);
  auto after_value = query_student_id(after, "after", errors);
  // Two ways of saying where the page starts: refused rather than one silently winning.
  if (!skip.empty() && !after.empty()) {
    errors.push_back(
        error_at("query", "after", "Use either skip or after, not both", "value_error"));
  }
  if (!errors.empty()) {
    return errors;
  }
  return Page{*skip_value, static_cast<int>(*limit_value), std::move(after_value)};
}

}  // namespace sre::domain
