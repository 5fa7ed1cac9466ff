// The token bucket every rate limit here uses, as pure arithmetic (no clock, no storage), so
// that the in-process limiter, the Redis Lua script and the unit tests agree on one formula.
//
// A bucket holds at most `burst` tokens and gains `limit` tokens per `window`; a request takes
// one token or is refused. Instead of storing (tokens, last refill time), which needs two
// fields and loses fractions of a token to rounding on every refill, the whole state is one
// integer: the bucket's "theoretical arrival time" (TAT, from GCRA, the cell-rate algorithm
// ATM switches use). `ahead = max(TAT, now) - now` says how far the bucket is from full:
//
//   tokens in the bucket = (burst * interval - ahead) / interval,   interval = window / limit
//
// Taking a token pushes TAT one interval later; time passing refills it. That makes the
// state fit in one atomic 64-bit word (local limiter) or one Redis string (Lua script).
#pragma once

#include <chrono>
#include <cstdint>

namespace sre::ratelimit {

using Micros = std::int64_t;

// `limit` requests per `window`, at most `burst` at once. limit, burst and window are > 0.
struct Rate {
  std::int64_t limit = 1;
  std::chrono::seconds window{60};
  std::int64_t burst = 1;

  // One token comes back every interval.
  Micros interval_us() const { return window.count() * 1'000'000 / limit; }
  // How far ahead TAT may run: a full bucket's worth of intervals.
  Micros capacity_us() const { return interval_us() * burst; }
};

// What a limiter tells the client (in the RateLimit and X-RateLimit-* headers).
struct Decision {
  bool allowed = true;
  std::int64_t remaining = 0;  // tokens left after this request
  Micros reset_us = 0;         // until the bucket is full again
  Micros retry_after_us = 0;   // until the next token (0 when allowed)
};

// The decision, given whether the request was allowed and `ahead` (TAT - now, after taking
// the token when allowed). The Redis script returns exactly these two numbers.
Decision describe(const Rate& rate, bool allowed, Micros ahead);

struct TakeResult {
  Decision decision;
  Micros new_tat;  // unchanged when refused
};

// Takes one token at time `now` from a bucket whose TAT is `tat` (0: a new, full bucket).
TakeResult take(const Rate& rate, Micros tat, Micros now);

// Whole seconds for headers: rounded up, so a client that waits that long is not refused.
std::int64_t ceil_seconds(Micros us);

}  // namespace sre::ratelimit
