#include "ratelimit/local_limiter.h"

#include <prometheus/counter.h>

#include <functional>

#include "core/log.h"

namespace sre::ratelimit {
namespace {

constexpr int kTatBits = 48;
constexpr std::uint64_t kTatMask = (std::uint64_t{1} << kTatBits) - 1;

std::uint64_t pack(Micros tat, std::uint64_t key) {
  return (key >> kTatBits << kTatBits) | (static_cast<std::uint64_t>(tat) & kTatMask);
}
Micros tat_of(std::uint64_t state) {
  return static_cast<Micros>(state & kTatMask);
}
// Whether `state` belongs to the bucket of `key`: its tag is the top 16 bits of the key.
bool tagged_for(std::uint64_t state, std::uint64_t key) {
  return (state >> kTatBits) == (key >> kTatBits);
}

std::uint64_t key_of(std::size_t policy_index, std::string_view identity) {
  std::uint64_t key = std::hash<std::string_view>{}(identity) ^
                      (std::hash<std::size_t>{}(policy_index + 1) * 0x9E3779B97F4A7C15ULL);
  key ^= key >> 29;  // the slot index comes from the low bits: let the high ones matter too
  return key == 0 ? 1 : key;
}

}  // namespace

LocalLimiter::LocalLimiter(prometheus::Counter* live_evictions)
    : started_(std::chrono::steady_clock::now()),
      slots_(std::make_unique<Slot[]>(kSlots)),
      live_evictions_(live_evictions) {}

Decision LocalLimiter::take(const Rate& rate, std::size_t policy_index, std::string_view identity) {
  // +1: TAT 0 means "a fresh bucket", which must read as full at any time.
  const Micros now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - started_)
                         .count() +
                     1;
  return take_at(rate, policy_index, identity, now);
}

Decision LocalLimiter::take_at(const Rate& rate, std::size_t policy_index,
                               std::string_view identity, Micros now) {
  const std::uint64_t key = key_of(policy_index, identity);
  // Each round ends with a decision unless another thread took the slot over in between.
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    Slot* slot = find(key);
    if (slot == nullptr) {
      slot = claim(key, now);
    }
    if (auto decision = take_from(*slot, key, rate, now)) {
      return *decision;
    }
  }
  // Slots changing hands under our feet every round: decide as a fresh bucket would.
  return ratelimit::take(rate, 0, now).decision;
}

// Keys are never removed, only replaced, and a key is placed at the first usable slot of its
// window: nothing of it can be past a slot that was never used.
LocalLimiter::Slot* LocalLimiter::find(std::uint64_t key) const {
  for (std::size_t probe = 0; probe < kWindow; ++probe) {
    Slot& slot = slot_at(key, probe);
    const std::uint64_t owner = slot.key.load(std::memory_order_acquire);
    if (owner == key) {
      return &slot;
    }
    if (owner == 0) {
      return nullptr;
    }
  }
  return nullptr;
}

// Takes a slot of the window for `key`: the first never used or holding a full bucket, else
// the one whose bucket is nearest to full. The slot's state is reset by take_from().
LocalLimiter::Slot* LocalLimiter::claim(std::uint64_t key, Micros now) {
  Slot* nearest_to_full = nullptr;
  Micros nearest_tat = 0;
  for (std::size_t probe = 0; probe < kWindow; ++probe) {
    Slot& slot = slot_at(key, probe);
    std::uint64_t owner = slot.key.load(std::memory_order_acquire);
    const Micros tat = tat_of(slot.state.load(std::memory_order_acquire));
    if (owner == 0 || tat <= now) {
      // Lost the race for it: fine if the winner claimed it for our key too.
      if (slot.key.compare_exchange_strong(owner, key, std::memory_order_acq_rel) || owner == key) {
        return &slot;
      }
      continue;
    }
    if (nearest_to_full == nullptr || tat < nearest_tat) {
      nearest_to_full = &slot;
      nearest_tat = tat;
    }
  }
  nearest_to_full->key.store(key, std::memory_order_release);
  // Reset here rather than in take_from(): the old bucket may carry the same 16-bit tag.
  nearest_to_full->state.store(pack(0, key), std::memory_order_release);
  if (live_evictions_ != nullptr) {
    live_evictions_->Increment();
  }
  if (!logged_live_eviction_.exchange(true, std::memory_order_relaxed)) {
    log::warn(
        "rate limiter: in-process bucket table full, restarting the limit of clients nearest "
        "to a full bucket (counted in rate_limit_local_evictions_total)",
        {{"slots", kSlots}});
  }
  return nearest_to_full;
}

// nullopt when the slot no longer belongs to `key` (taken over meanwhile).
std::optional<Decision> LocalLimiter::take_from(Slot& slot, std::uint64_t key, const Rate& rate,
                                                Micros now) {
  std::uint64_t current = slot.state.load(std::memory_order_acquire);
  for (;;) {
    if (!tagged_for(current, key)) {
      if (slot.key.load(std::memory_order_acquire) != key) {
        return std::nullopt;
      }
      // Just claimed for us (by this thread or another): the bucket starts fresh. Whoever of
      // the threads asking for this key gets here first resets it; the others see the tag.
      if (slot.state.compare_exchange_weak(current, pack(0, key), std::memory_order_acq_rel,
                                           std::memory_order_acquire)) {
        current = pack(0, key);
      }
      continue;
    }
    const TakeResult result = ratelimit::take(rate, tat_of(current), now);
    if (!result.decision.allowed) {
      return result.decision;  // nothing to write: a refusal does not change the bucket
    }
    if (slot.state.compare_exchange_weak(current, pack(result.new_tat, key),
                                         std::memory_order_acq_rel, std::memory_order_acquire)) {
      return result.decision;
    }
    // Another thread took a token from this bucket meanwhile: `current` is fresh, try again.
  }
}

}  // namespace sre::ratelimit
