#include "resilience/deadline.h"

#include <algorithm>
#include <charconv>

namespace sre::resilience {

std::chrono::milliseconds Deadline::remaining(Clock::time_point now) const {
  if (now >= at_) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(at_ - now);
}

Deadline Deadline::capped(std::chrono::milliseconds limit, Clock::time_point now) const {
  return Deadline(std::min(at_, now + limit));
}

std::optional<std::chrono::milliseconds> parse_request_timeout(std::string_view text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < 1 ||
      value > kMaxRequestTimeoutMs) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(value);
}

}  // namespace sre::resilience
