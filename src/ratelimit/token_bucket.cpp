#include "ratelimit/token_bucket.h"

#include <algorithm>

namespace sre::ratelimit {

Decision describe(const Rate& rate, bool allowed, Micros ahead) {
  const Micros interval = rate.interval_us();
  const Micros capacity = rate.capacity_us();
  ahead = std::clamp<Micros>(ahead, 0, capacity + interval);
  Decision decision;
  decision.allowed = allowed;
  decision.remaining = std::max<Micros>(0, (capacity - ahead) / interval);
  decision.reset_us = ahead;
  // Refused: the next token is there once TAT + interval fits within the capacity again.
  decision.retry_after_us = allowed ? 0 : std::max<Micros>(0, ahead + interval - capacity);
  return decision;
}

TakeResult take(const Rate& rate, Micros tat, Micros now) {
  // A TAT in the past means the bucket refilled completely meanwhile: start from now.
  const Micros ahead = std::max(tat, now) - now;
  const Micros after_taking = ahead + rate.interval_us();
  if (after_taking > rate.capacity_us()) {
    return {describe(rate, false, ahead), tat};
  }
  return {describe(rate, true, after_taking), now + after_taking};
}

std::int64_t ceil_seconds(Micros us) {
  return us <= 0 ? 0 : (us + 999'999) / 1'000'000;
}

}  // namespace sre::ratelimit
