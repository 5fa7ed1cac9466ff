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

// A uniform random number in [0, 1) from a per-thread generator.
double thread_random01();

}  // namespace sre::resilience
