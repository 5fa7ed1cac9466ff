// How long to wait before reconnecting to PostgreSQL: exponential backoff with jitter.
//
// Exponential, so a database that stays down is not hammered by every connection of every
// instance; capped, so recovery is noticed within about a second of the database coming back;
// jittered ("equal jitter": half fixed, half random), so after an outage the instances of a
// fleet do not all reconnect in the same millisecond. Pure: the caller supplies the randomness.
#pragma once

#include <algorithm>
#include <chrono>

namespace sre::store {

struct ReconnectBackoff {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds cap{1000};

  // Delay before attempt number `failures` + 1, given a uniform random number in [0, 1).
  std::chrono::milliseconds delay(int failures, double random01) const {
    double ceiling = static_cast<double>(initial.count());
    for (int i = 0; i < failures && ceiling < static_cast<double>(cap.count()); ++i) {
      ceiling *= 2;
    }
    ceiling = std::min(ceiling, static_cast<double>(cap.count()));
    double half = ceiling / 2;
    return std::chrono::milliseconds(static_cast<long long>(half + half * random01));
  }
};

}  // namespace sre::store
