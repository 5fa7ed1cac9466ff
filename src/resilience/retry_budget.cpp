#include "resilience/retry_budget.h"

#include <algorithm>
#include <cmath>

namespace sre::resilience {
namespace {
constexpr std::int64_t kMilli = 1000;
}

RetryBudget::RetryBudget(double ratio, int max_tokens)
    : deposit_milli_(std::llround(std::clamp(ratio, 0.0, 1.0) * kMilli)),
      cap_milli_(std::int64_t{std::max(1, max_tokens)} * kMilli) {}

void RetryBudget::record_call() {
  std::int64_t old_value = balance_milli_.load(std::memory_order_relaxed);
  while (old_value < cap_milli_ && !balance_milli_.compare_exchange_weak(
                                       old_value, std::min(cap_milli_, old_value + deposit_milli_),
                                       std::memory_order_relaxed)) {
  }
}

bool RetryBudget::try_spend_retry() {
  std::int64_t old_value = balance_milli_.load(std::memory_order_relaxed);
  while (old_value >= kMilli) {
    if (balance_milli_.compare_exchange_weak(old_value, old_value - kMilli,
                                             std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

double RetryBudget::tokens() const {
  return static_cast<double>(balance_milli_.load(std::memory_order_relaxed)) / kMilli;
}

}  // namespace sre::resilience
