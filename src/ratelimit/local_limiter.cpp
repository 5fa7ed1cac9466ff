#include "ratelimit/local_limiter.h"

#include <functional>

namespace sre::ratelimit {
namespace {

constexpr int kTatBits = 48;
constexpr std::uint64_t kTatMask = (std::uint64_t{1} << kTatBits) - 1;

std::uint64_t pack(Micros tat, std::uint16_t fingerprint) {
  return (static_cast<std::uint64_t>(fingerprint) << kTatBits) |
         (static_cast<std::uint64_t>(tat) & kTatMask);
}

}  // namespace

LocalLimiter::LocalLimiter()
    : started_(std::chrono::steady_clock::now()),
      slots_(std::make_unique<std::array<std::atomic<std::uint64_t>, kSlots>>()) {
  for (auto& slot : *slots_) {
    slot.store(0, std::memory_order_relaxed);
  }
}

Decision LocalLimiter::take(const Rate& rate, std::size_t policy_index, std::string_view identity) {
  // +1: TAT 0 means "never used", which must read as a full bucket at any time.
  const Micros now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - started_)
                         .count() +
                     1;
  return take_at(rate, policy_index, identity, now);
}

Decision LocalLimiter::take_at(const Rate& rate, std::size_t policy_index,
                               std::string_view identity, Micros now) {
  const std::size_t hash = std::hash<std::string_view>{}(identity) ^
                           (std::hash<std::size_t>{}(policy_index)*0x9E3779B97F4A7C15ULL);
  auto& slot = (*slots_)[hash % kSlots];
  // The fingerprint comes from other bits of the hash than the slot index.
  const auto fingerprint = static_cast<std::uint16_t>((hash >> 32) ^ (hash >> 48));

  std::uint64_t current = slot.load(std::memory_order_relaxed);
  for (;;) {
    Micros tat = static_cast<Micros>(current & kTatMask);
    const auto owner = static_cast<std::uint16_t>(current >> kTatBits);
    std::uint16_t keep = fingerprint;
    if (owner != fingerprint && tat > now) {
      keep = owner;  // someone else's bucket, not yet full: share it (strict side)
    }
    TakeResult result = ratelimit::take(rate, tat, now);
    if (!result.decision.allowed) {
      return result.decision;  // nothing to write: a refusal does not change the bucket
    }
    if (slot.compare_exchange_weak(current, pack(result.new_tat, keep), std::memory_order_acq_rel,
                                   std::memory_order_relaxed)) {
      return result.decision;
    }
    // Another thread took a token from this slot meanwhile: `current` is fresh, try again.
  }
}

}  // namespace sre::ratelimit
