// Whether the rate limiter is on its in-process fallback because Redis failed, as one state
// for the whole process, so that it is logged once on entry and once on exit.
//
// Each I/O thread has its own Redis connection, and after a Redis restart they reconnect at
// different moments (their backoffs are jittered, up to seconds apart). Following every
// decision's outcome would flip the state each time a request lands on a thread whose
// connection is (not yet) back: hundreds of "unreachable" / "back on Redis" lines a second,
// and a flapping gauge. So the state enters on the first failure, and leaves on a success
// only once no decision has failed for kQuietBeforeLeaving: while any thread with traffic
// still fails, the process stays in the fallback.
#pragma once

#include <atomic>
#include <chrono>

namespace sre::ratelimit {

class FallbackState {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kQuietBeforeLeaving{1};

  // Redis could not decide. True when this entered the fallback (the caller logs it).
  bool failed(Clock::time_point now);
  // Redis decided. True when this left the fallback (the caller logs it).
  bool succeeded(Clock::time_point now);
  bool active() const { return active_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> active_{false};
  std::atomic<Clock::rep> last_failure_{0};  // time_since_epoch of the latest failure
};

}  // namespace sre::ratelimit
