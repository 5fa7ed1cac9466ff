#include "ratelimit/policy.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <sstream>

namespace sre::ratelimit {
namespace {

// TAT offsets must fit the local limiter's 48-bit slots (see local_limiter.h), with room.
constexpr Micros kMaxCapacityUs = Micros{1} << 46;  // about 2.2 years
constexpr std::int64_t kMaxCount = 1'000'000;

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) {
      return parts;
    }
    text.remove_prefix(at + 1);
  }
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) {
      ++i;
    }
    std::size_t start = i;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0) {
      ++i;
    }
    if (i > start) {
      out.push_back(text.substr(start, i - start));
    }
  }
  return out;
}

std::optional<std::int64_t> count(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > kMaxCount) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::chrono::seconds> window_of(std::string_view unit) {
  if (unit == "s" || unit == "sec" || unit == "second") {
    return std::chrono::seconds(1);
  }
  if (unit == "min" || unit == "minute") {
    return std::chrono::seconds(60);
  }
  if (unit == "h" || unit == "hour") {
    return std::chrono::seconds(3600);
  }
  return std::nullopt;
}

bool is_method(std::string_view word) {
  static constexpr std::array<std::string_view, 7> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                               "PATCH", "DELETE", "OPTIONS"};
  return std::find(kMethods.begin(), kMethods.end(), word) != kMethods.end();
}

// Parses one rule (already trimmed into words); returns the policy or a reason.
std::variant<Policy, std::string> parse_rule(const std::vector<std::string_view>& w) {
  Policy policy;
  std::size_t i = 0;
  if (i < w.size() && is_method(w[i])) {
    policy.method = std::string(w[i++]);
  }
  if (i >= w.size() || (w[i] != "*" && !w[i].starts_with('/'))) {
    return std::string("expected a path starting with / (or *) after the optional method");
  }
  std::string_view path = w[i++];
  if (path.ends_with('*')) {
    policy.prefix = true;
    path.remove_suffix(1);
  }
  policy.path = std::string(path);
  policy.name = policy.method.empty() && policy.prefix && policy.path.empty()
                    ? "default"
                    : (policy.method.empty() ? "" : policy.method + " ") + std::string(w[i - 1]);
  if (i >= w.size()) {
    return std::string("missing limit: N/s, N/min or N/h (optionally burst B), or exempt");
  }
  if (w[i] == "exempt") {
    policy.exempt = true;
    return i + 1 == w.size() ? std::variant<Policy, std::string>(policy)
                             : std::string("nothing may follow exempt");
  }
  auto slash = w[i].find('/');
  auto limit = count(w[i].substr(0, slash));
  if (slash == std::string_view::npos || !limit) {
    return fmt::format("'{}' is not N/s, N/min or N/h with N in 1..{}", w[i], kMaxCount);
  }
  auto window = window_of(w[i].substr(slash + 1));
  if (!window) {
    return fmt::format("unknown unit '{}' (use s, min or h)", w[i].substr(slash + 1));
  }
  ++i;
  policy.rate = Rate{*limit, *window, *limit};
  if (i < w.size() && w[i] == "burst") {
    std::optional<std::int64_t> burst;
    if (i + 1 >= w.size() || !(burst = count(w[i + 1]))) {
      return fmt::format("burst needs a number in 1..{}", kMaxCount);
    }
    policy.rate.burst = *burst;
    i += 2;
  }
  if (i != w.size()) {
    return fmt::format("unexpected '{}'", w[i]);
  }
  if (policy.rate.capacity_us() > kMaxCapacityUs) {
    return std::string("burst / rate is too long a refill time (over two years)");
  }
  return policy;
}

}  // namespace

bool Policy::matches(std::string_view request_method, std::string_view route) const {
  if (!method.empty() && method != request_method) {
    return false;
  }
  return prefix ? route.starts_with(path) : route == path;
}

int Policy::specificity() const {
  // exact path > longer prefix > shorter prefix > `*`; then a named method.
  int path_score = prefix ? static_cast<int>(path.size()) * 2 : 1'000'000;
  return path_score + (method.empty() ? 0 : 1);
}

std::string Policy::describe() const {
  std::string text = (method.empty() ? "" : method + " ") + path + (prefix ? "*" : "");
  if (exempt) {
    return text + " exempt";
  }
  const char* unit = rate.window.count() == 1 ? "s" : rate.window.count() == 60 ? "min" : "h";
  return fmt::format("{} {}/{} burst {}", text, rate.limit, unit, rate.burst);
}

const Policy* PolicyTable::match(std::string_view method, std::string_view route) const {
  const Policy* best = nullptr;
  for (const auto& policy : policies_) {
    if (policy.matches(method, route) &&
        (best == nullptr || policy.specificity() > best->specificity())) {
      best = &policy;
    }
  }
  return best;
}

std::string PolicyTable::describe() const {
  std::string text;
  for (const auto& policy : policies_) {
    text += (text.empty() ? "" : "; ") + policy.describe();
  }
  return text;
}

std::variant<PolicyTable, std::string> parse_policies(std::string_view text) {
  std::vector<Policy> policies;
  int number = 0;
  for (std::string_view rule : split(text, ';')) {
    auto w = words(rule);
    if (w.empty()) {
      continue;  // allows a trailing `;` and blank rules
    }
    ++number;
    auto parsed = parse_rule(w);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      return fmt::format("rule {} '{}': {}", number, fmt::join(w, " "), *error);
    }
    auto& policy = std::get<Policy>(parsed);
    for (const auto& other : policies) {
      if (other.method == policy.method && other.path == policy.path &&
          other.prefix == policy.prefix) {
        return fmt::format("rule {}: '{}' is configured twice", number, policy.name);
      }
    }
    policies.push_back(std::move(policy));
  }
  return PolicyTable(std::move(policies));
}

}  // namespace sre::ratelimit
