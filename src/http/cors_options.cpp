#include "http/cors_options.h"

#include <fmt/format.h>

#include <algorithm>

namespace sre::http {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  return text;
}

// scheme "://" host [":" port], lower case, as browsers serialise an origin.
bool is_origin(std::string_view text) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (text.starts_with(scheme)) {
      std::string_view authority = text.substr(scheme.size());
      return !authority.empty() && authority.front() != ':' &&
             std::all_of(authority.begin(), authority.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == ':' || c == '[' || c == ']';
             });
    }
  }
  return false;
}

}  // namespace

std::variant<CorsOrigins, std::string> CorsOrigins::parse(std::string_view text) {
  CorsOrigins parsed;
  if (trim(text).empty()) {
    return parsed;
  }
  while (true) {
    const auto comma = text.find(',');
    const std::string_view entry = trim(text.substr(0, comma));
    if (entry == "*") {
      parsed.any_ = true;
    } else if (is_origin(entry)) {
      parsed.origins_.emplace_back(entry);
    } else {
      return fmt::format("'{}' is not an origin (scheme://host[:port] in lower case, no path) or *",
                         entry);
    }
    if (comma == std::string_view::npos) {
      return parsed;
    }
    text.remove_prefix(comma + 1);
  }
}

bool CorsOrigins::allows(std::string_view origin) const {
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

std::string CorsOrigins::describe() const {
  std::string text = any_ ? "*" : "";
  for (const auto& origin : origins_) {
    text += text.empty() ? origin : ", " + origin;
  }
  return text;
}

const std::vector<core::Setting<CorsOptions>>& cors_settings() {
  static const std::vector<core::Setting<CorsOptions>> rows{
      core::setting(
          "CORS_ORIGINS", &CorsOptions::origins,
          core::parsed_by<CorsOrigins>(
              CorsOrigins::parse, [](const CorsOrigins& origins) { return origins.describe(); },
              "origins, comma-separated, or *"),
          "Browser origins (https://host[:port]) whose pages may call the API; unset: CORS off"),
  };
  return rows;
}

}  // namespace sre::http
