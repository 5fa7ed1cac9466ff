// A deadline: the moment by which the caller needs an answer, carried through every step of
// a request so no step waits longer than the whole request may take (as userver propagates
// X-YaTaxi-Client-TimeoutMs). A client states its budget in `X-Request-Timeout-Ms`; we pass
// what is left of it downstream in the same header, so the grade service never works on an
// answer nobody is waiting for any more.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace sre::resilience {

inline constexpr std::string_view kRequestTimeoutHeader = "X-Request-Timeout-Ms";
// Budgets a client may ask for: 1 ms .. 1 hour. Anything else is a 400.
inline constexpr long long kMaxRequestTimeoutMs = 3'600'000;

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Deadline(Clock::time_point at) : at_(at) {}
  static Deadline after(std::chrono::milliseconds budget, Clock::time_point now = Clock::now()) {
    return Deadline(now + budget);
  }

  Clock::time_point at() const { return at_; }
  std::chrono::milliseconds remaining(Clock::time_point now = Clock::now()) const;
  bool expired(Clock::time_point now = Clock::now()) const { return now >= at_; }
  // The earlier of this deadline and `now + limit`.
  Deadline capped(std::chrono::milliseconds limit, Clock::time_point now = Clock::now()) const;

 private:
  Clock::time_point at_;
};

// Parses an X-Request-Timeout-Ms value: a decimal integer in 1..kMaxRequestTimeoutMs.
std::optional<std::chrono::milliseconds> parse_request_timeout(std::string_view text);

}  // namespace sre::resilience
