#include "core/config.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <charconv>
#include <cmath>

namespace sre::core {

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> parse_number(std::string_view text) {
  // strtod would skip leading blanks; a number setting, like an integer one, has none.
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) {
    return std::nullopt;
  }
  std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string show_number(double value) {
  return value == std::floor(value) ? fmt::format("{:.1f}", value) : fmt::format("{}", value);
}

ValueParser<double> number_in(double min, double max) {
  return {[min, max](std::string_view text) -> ParseResult<double> {
            auto value = parse_number(text);
            if (!value || *value < min || *value > max) {
              return Refusal{fmt::format("'{}' is not a number in {}..{}", text, min, max)};
            }
            return *value;
          },
          show_number, fmt::format("number {}..{}", min, max)};
}

ValueParser<bool> boolean() {
  return {[](std::string_view text) -> ParseResult<bool> {
            for (std::string_view yes : {"true", "1", "yes", "on"}) {
              if (text == yes) {
                return true;
              }
            }
            for (std::string_view no : {"false", "0", "no", "off"}) {
              if (text == no) {
                return false;
              }
            }
            return Refusal{fmt::format("'{}' is not true or false", text)};
          },
          [](const bool& value) { return std::string(value ? "true" : "false"); }, "true or false"};
}

ValueParser<std::string> any_text() {
  return {[](std::string_view text) -> ParseResult<std::string> { return std::string(text); },
          [](const std::string& value) { return value; }, "text"};
}

ValueParser<std::string> non_empty_text() {
  return {[](std::string_view text) -> ParseResult<std::string> {
            if (text.empty()) {
              return Refusal{"must not be empty"};
            }
            return std::string(text);
          },
          [](const std::string& value) { return value; }, "non-empty text"};
}

ValueParser<std::string> one_of(std::vector<std::string> words) {
  std::string list;
  for (std::size_t i = 0; i < words.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  }
  return {[words, list](std::string_view text) -> ParseResult<std::string> {
            if (std::find(words.begin(), words.end(), text) == words.end()) {
              return Refusal{fmt::format("'{}' is not one of {}", text, list)};
            }
            return std::string(text);
          },
          [](const std::string& value) { return value; }, list};
}

ValueParser<std::string> ip_address() {
  return {[](std::string_view text) -> ParseResult<std::string> {
            boost::system::error_code ec;
            boost::asio::ip::make_address(std::string(text), ec);
            if (ec) {
              return Refusal{
                  fmt::format("'{}' is not an IP address (e.g. 0.0.0.0, 127.0.0.1 or ::)", text)};
            }
            return std::string(text);
          },
          [](const std::string& value) { return value; }, "IP address"};
}

std::string flag_of(std::string_view env) {
  std::string name = "--";
  for (char c : env) {
    name += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

std::string key_of(std::string_view env) {
  std::string key;
  for (char c : env) {
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

std::string redact_url(std::string_view url) {
  auto scheme_end = url.find("://");
  auto at = url.rfind('@');
  if (scheme_end == std::string_view::npos || at == std::string_view::npos || at < scheme_end) {
    return std::string(url);
  }
  auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string_view::npos || colon > at) {
    return std::string(url);
  }
  return fmt::format("{}***{}", url.substr(0, colon + 1), url.substr(at));
}

std::string invalid_setting(std::string_view env, std::string_view reason) {
  return fmt::format("invalid {}: {}", env, reason);
}

namespace {

// A Markdown table cell: `|` would end the cell, a newline the row.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c == '\n' ? ' ' : c;
    }
  }
  return out;
}

}  // namespace

std::string markdown_table(const std::vector<SettingDoc>& docs) {
  std::string out = "| Variable | Default | Accepted | Meaning |\n| --- | --- | --- | --- |\n";
  for (const auto& doc : docs) {
    out += fmt::format("| `{}` | {} | {} | {} |\n", doc.env,
                       doc.default_text.empty() ? "unset" : "`" + cell(doc.default_text) + "`",
                       cell(doc.accepts), cell(doc.help));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_dotenv(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> entries;
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    }
    return s;
  };
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.starts_with("export ")) {
      line = trim(line.substr(7));
    }
    auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    std::string_view key = trim(line.substr(0, equals));
    std::string_view value = trim(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (auto comment = value.find(" #"); comment != std::string_view::npos) {
      value = trim(value.substr(0, comment));
    }
    if (!key.empty()) {
      entries.emplace_back(std::string(key), std::string(value));
    }
  }
  return entries;
}

}  // namespace sre::core
