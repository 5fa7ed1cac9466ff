#include "domain/validation.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

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

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Characters, not bytes: "Zoë" is 3 long. The input is valid UTF-8 (the parser checks).
std::size_t code_points(std::string_view utf8) {
  std::size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

bool has_control_character(std::string_view s) {
  for (char c : s) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return true;
    }
  }
  return false;
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
  std::string_view text = trim(value->get_string());
  if (text.empty()) {
    errors.push_back(
        error_at("body", field, "String should have at least 1 character", "string_too_short"));
  } else if (code_points(text) > kMaxNameLength) {
    errors.push_back(error_at(
        "body", field, fmt::format("String should have at most {} characters", kMaxNameLength),
        "string_too_long"));
  } else if (has_control_character(text)) {
    errors.push_back(error_at("body", field, "String should not contain control characters",
                              "string_pattern_mismatch"));
  } else {
    out = std::string(text);
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

// Parses one integer query parameter; on error appends to `errors` and returns nullopt.
std::optional<std::int64_t> query_integer(std::optional<std::string_view> text,
                                          std::string_view name, std::int64_t fallback,
                                          std::int64_t min, std::optional<std::int64_t> max,
                                          FieldErrors& errors) {
  if (!text) {
    return fallback;
  }
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc{} || ptr != end) {
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
  return value;
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

std::variant<Page, FieldErrors> validate_page(std::optional<std::string_view> skip,
                                              std::optional<std::string_view> limit) {
  FieldErrors errors;
  auto skip_value = query_integer(skip, "skip", 0, 0, std::nullopt, errors);
  auto limit_value = query_integer(limit, "limit", 100, 1, kMaxPageLimit, errors);
  if (!errors.empty()) {
    return errors;
  }
  return Page{*skip_value, static_cast<int>(*limit_value)};
}

}  // namespace sre::domain
