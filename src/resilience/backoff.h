// Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
// Jitter"): the wait before retry n is uniformly random in [0, min(cap, base * 2^n)). The
// randomness spreads retries of many clients that failed at the same moment, so they do not
// come back as one synchronized wave.
#pragma once

#include <chrono>

namespace sre::resilience {

struct BackoffPolicy {
  std::chrono::milliseconds base{25};
  std::chrono::milliseconds cap{250};
};

// `retry`: 0 for the first retry. `random01`: a uniform random number in [0, 1) (injected so
// tests are deterministic).
std::chrono::microseconds full_jitter_backoff(const BackoffPolicy& policy, int retry,
                                              double random01);

// Exponential backoff with "equal jitter", for reconnect loops: the wait after `failures`
// failed attempts (0: after the first connection broke) is half of min(cap, base * 2^failures)
// plus a random part of up to the other half. Exponential, so a dependency that stays down is
// not hammered by every connection of every instance; capped, so its return is noticed soon;
// at least half fixed, so a reconnect loop never spins; jittered, so after an outage the
// instances of a fleet do not all reconnect in the same millisecond.
std::chrono::milliseconds equal_jitter_backoff(const BackoffPolicy& policy, int failures,
                                               double random01);

// A uniform random number in [0, 1) from a per-thread generator.
double thread_random01();

}  // namespace sre::resilience
