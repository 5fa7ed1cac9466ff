#include "resilience/backoff.h"

#include <algorithm>
#include <random>

namespace sre::resilience {

std::chrono::microseconds full_jitter_backoff(const BackoffPolicy& policy, int retry,
                                              double random01) {
  using std::chrono::microseconds;
  const auto cap = std::chrono::duration_cast<microseconds>(policy.cap);
  auto ceiling = std::chrono::duration_cast<microseconds>(policy.base);
  for (int i = 0; i < retry && ceiling < cap; ++i) {
    ceiling *= 2;  // doubling stops at the cap, so no overflow however large `retry` is
  }
  ceiling = std::min(ceiling, cap);
  const double fraction = std::clamp(random01, 0.0, 1.0);
  return microseconds(
      static_cast<microseconds::rep>(static_cast<double>(ceiling.count()) * fraction));
}

std::chrono::milliseconds equal_jitter_backoff(const BackoffPolicy& policy, int failures,
                                               double random01) {
  const auto cap = static_cast<double>(policy.cap.count());
  auto ceiling = static_cast<double>(policy.base.count());
  for (int i = 0; i < failures && ceiling < cap; ++i) {
    ceiling *= 2;
  }
  const double half = std::min(ceiling, cap) / 2;
  return std::chrono::milliseconds(
      static_cast<long long>(half + half * std::clamp(random01, 0.0, 1.0)));
}

double thread_random01() {
  thread_local std::minstd_rand engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace sre::resilience
