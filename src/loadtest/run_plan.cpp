#include "loadtest/run_plan.h"

#include <cmath>

namespace sre::loadtest {

RunPlan::RunPlan(unsigned connections, std::optional<double> rate,
                 std::chrono::nanoseconds duration, std::uint64_t max_requests)
    : connections_(connections), rate_(rate), duration_(duration), max_requests_(max_requests) {}

std::chrono::nanoseconds RunPlan::due(std::uint64_t n) const {
  if (!rate_) {
    return std::chrono::nanoseconds(0);
  }
  // n / R seconds, computed from n each time (never by adding intervals, which would drift).
  return std::chrono::nanoseconds(std::llround(static_cast<double>(n) * 1e9 / *rate_));
}

bool RunPlan::includes(std::uint64_t n) const {
  if (max_requests_ != 0 && n >= max_requests_) {
    return false;
  }
  return !rate_ || due(n) < duration_;
}

}  // namespace sre::loadtest
