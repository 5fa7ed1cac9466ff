#include "http/json_text.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <string_view>

namespace sre::http {
namespace {

bool has_double(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      return true;
    case boost::json::kind::array:
      for (const auto& item : value.get_array()) {
        if (has_double(item)) {
          return true;
        }
      }
      return false;
    case boost::json::kind::object:
      for (const auto& member : value.get_object()) {
        if (has_double(member.value())) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}

// The shortest decimal that reads back as `number`, without an exponent; ".0" marks an
// integral value as a float. Boost.JSON has no text for NaN or infinity either: null.
void append_plain(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  char digits[400];  // the longest fixed form of a double (DBL_MAX) has 309 digits
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), number, std::chars_format::fixed);
  const std::string_view text(digits, static_cast<std::size_t>(end - digits));
  out += text;
  if (text.find('.') == std::string_view::npos) {
    out += ".0";
  }
}

void append(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      append_plain(out, value.get_double());
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        out += first ? "" : ",";
        first = false;
        append(out, item);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_object()) {
        out += first ? "" : ",";
        first = false;
        out += boost::json::serialize(boost::json::string_view(member.key()));
        out += ':';
        append(out, member.value());
      }
      out += '}';
      return;
    }
    default:
      out += boost::json::serialize(value);
  }
}

}  // namespace

std::string to_json_text(const boost::json::value& value) {
  if (!has_double(value)) {
    return boost::json::serialize(value);
  }
  std::string out;
  append(out, value);
  return out;
}

}  // namespace sre::http
