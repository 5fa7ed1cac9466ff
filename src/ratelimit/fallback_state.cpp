#include "ratelimit/fallback_state.h"

namespace sre::ratelimit {

bool FallbackState::failed(Clock::time_point now) {
  last_failure_.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  // A load first: during an outage every decision fails, and they need not all write the flag.
  return !active_.load(std::memory_order_relaxed) &&
         !active_.exchange(true, std::memory_order_acq_rel);
}

bool FallbackState::succeeded(Clock::time_point now) {
  if (!active_.load(std::memory_order_relaxed)) {
    return false;  // the common case: Redis has been fine
  }
  const Clock::time_point last_failure{
      Clock::duration{last_failure_.load(std::memory_order_relaxed)}};
  if (now - last_failure < kQuietBeforeLeaving) {
    return false;
  }
  return active_.exchange(false, std::memory_order_acq_rel);
}

}  // namespace sre::ratelimit
