#include "resilience/circuit_breaker.h"

#include <algorithm>
#include <bit>

namespace sre::resilience {
namespace {

constexpr std::uint64_t kStateBits = 2;
constexpr std::uint64_t kEpochBits = 22;
constexpr std::uint64_t kEpochMask = (std::uint64_t{1} << kEpochBits) - 1;
constexpr int kCountShift = 56;
constexpr std::uint64_t kHistoryMask = (std::uint64_t{1} << kCountShift) - 1;

}  // namespace

std::string_view to_string(BreakerState state) {
  switch (state) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
  }
  return "unknown";
}

std::string_view to_string(TransitionReason reason) {
  switch (reason) {
    case TransitionReason::consecutive_failures:
      return "consecutive_failures";
    case TransitionReason::failure_rate:
      return "failure_rate";
    case TransitionReason::open_time_elapsed:
      return "open_time_elapsed";
    case TransitionReason::probe_succeeded:
      return "probe_succeeded";
    case TransitionReason::probe_failed:
      return "probe_failed";
    case TransitionReason::manual_reset:
      return "manual_reset";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(std::string name, CircuitBreakerOptions options, NowFunction now)
    : name_(std::move(name)),
      options_(options),
      now_(now ? std::move(now) : NowFunction([] { return SteadyClock::now(); })),
      start_(now_()),
      word_(pack({BreakerState::closed, 0, 0})) {
  options_.window_size = std::clamp(options_.window_size, 1, 32);
  options_.minimum_calls = std::clamp(options_.minimum_calls, 1, options_.window_size);
  options_.half_open_probes = std::max(1, options_.half_open_probes);
}

std::uint64_t CircuitBreaker::pack(const Word& word) {
  return static_cast<std::uint64_t>(word.state) | (std::uint64_t{word.epoch} << kStateBits) |
         (word.opened_at_ms << (kStateBits + kEpochBits));
}

CircuitBreaker::Word CircuitBreaker::unpack(std::uint64_t bits) {
  return {static_cast<BreakerState>(bits & 3U),
          static_cast<std::uint32_t>((bits >> kStateBits) & kEpochMask),
          bits >> (kStateBits + kEpochBits)};
}

std::uint64_t CircuitBreaker::now_ms() const {
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now_() - start_);
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, elapsed.count()));
}

bool CircuitBreaker::transition(std::uint64_t expected, BreakerState to, TransitionReason reason) {
  const Word from = unpack(expected);
  const Word next{to, static_cast<std::uint32_t>((from.epoch + 1) & kEpochMask),
                  to == BreakerState::open ? now_ms() : 0};
  if (!word_.compare_exchange_strong(expected, pack(next), std::memory_order_acq_rel)) {
    return false;  // another thread moved the state first; it reports that transition
  }
  if (to == BreakerState::open) {
    // Counts start empty for the next CLOSED period. Cleared here, while no call can record
    // into them (OPEN and HALF_OPEN outcomes do not touch the window), so a late outcome from
    // before cannot reopen a freshly closed breaker.
    window_.store(0, std::memory_order_relaxed);
    consecutive_failures_.store(0, std::memory_order_relaxed);
    probes_in_flight_.store(0, std::memory_order_relaxed);
  }
  if (listener_) {
    listener_({from.state, to, reason});
  }
  return true;
}

CircuitBreaker::Permit CircuitBreaker::try_acquire() {
  std::uint64_t bits = word_.load(std::memory_order_acquire);
  Word word = unpack(bits);
  if (word.state == BreakerState::closed) {
    return {true, word.epoch};
  }
  if (word.state == BreakerState::open) {
    const auto open_ms = static_cast<std::uint64_t>(options_.open_duration.count());
    if (now_ms() < word.opened_at_ms + open_ms) {
      return {false, word.epoch};
    }
    // The first caller after the open time moves the breaker to HALF_OPEN (others lose the
    // CAS and just read the new state).
    transition(bits, BreakerState::half_open, TransitionReason::open_time_elapsed);
    bits = word_.load(std::memory_order_acquire);
    word = unpack(bits);
    if (word.state != BreakerState::half_open) {
      return {false, word.epoch};
    }
  }
  // HALF_OPEN: a few probes at a time; everyone else still gets the fallback.
  if (probes_in_flight_.fetch_add(1, std::memory_order_acq_rel) >= options_.half_open_probes) {
    probes_in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    return {false, word.epoch};
  }
  if (word_.load(std::memory_order_acquire) != bits) {
    // The state moved while we took the probe slot (a probe already decided): no call.
    return {false, word.epoch};
  }
  return {true, word.epoch};
}

void CircuitBreaker::on_success(const Permit& permit, std::chrono::nanoseconds elapsed) {
  if (elapsed > options_.slow_call_threshold) {
    on_failure(permit);  // a slow answer is a failure for the caller's latency objective
    return;
  }
  const std::uint64_t bits = word_.load(std::memory_order_acquire);
  const Word word = unpack(bits);
  if (word.epoch != permit.epoch) {
    return;
  }
  if (word.state == BreakerState::closed) {
    consecutive_failures_.store(0, std::memory_order_relaxed);
    record_closed_outcome(permit.epoch, false);
  } else if (word.state == BreakerState::half_open) {
    transition(bits, BreakerState::closed, TransitionReason::probe_succeeded);
  }
}

void CircuitBreaker::on_failure(const Permit& permit) {
  const std::uint64_t bits = word_.load(std::memory_order_acquire);
  const Word word = unpack(bits);
  if (word.epoch != permit.epoch) {
    return;
  }
  if (word.state == BreakerState::half_open) {
    transition(bits, BreakerState::open, TransitionReason::probe_failed);
    return;
  }
  if (word.state != BreakerState::closed) {
    return;
  }
  const int consecutive = consecutive_failures_.fetch_add(1, std::memory_order_acq_rel) + 1;
  if (consecutive >= options_.consecutive_failure_threshold) {
    transition(bits, BreakerState::open, TransitionReason::consecutive_failures);
    return;
  }
  record_closed_outcome(permit.epoch, true);
}

void CircuitBreaker::record_closed_outcome(std::uint32_t epoch, bool failed) {
  const auto window = static_cast<std::uint64_t>(options_.window_size);
  const std::uint64_t mask = (std::uint64_t{1} << window) - 1;
  std::uint64_t old_value = window_.load(std::memory_order_relaxed);
  std::uint64_t new_value = 0;
  do {
    const std::uint64_t count = std::min(window, (old_value >> kCountShift) + 1);
    const std::uint64_t history = (((old_value & kHistoryMask) << 1) | (failed ? 1U : 0U)) & mask;
    new_value = (count << kCountShift) | history;
  } while (!window_.compare_exchange_weak(old_value, new_value, std::memory_order_acq_rel));

  const auto calls = static_cast<int>(new_value >> kCountShift);
  const int failures = std::popcount(new_value & kHistoryMask);
  if (failed && calls >= options_.minimum_calls &&
      failures >= options_.failure_rate_threshold * calls) {
    const std::uint64_t bits = word_.load(std::memory_order_acquire);
    const Word word = unpack(bits);
    if (word.state == BreakerState::closed && word.epoch == epoch) {
      transition(bits, BreakerState::open, TransitionReason::failure_rate);
    }
  }
}

void CircuitBreaker::reset() {
  std::uint64_t bits = word_.load(std::memory_order_acquire);
  for (;;) {
    const Word from = unpack(bits);
    window_.store(0, std::memory_order_relaxed);
    consecutive_failures_.store(0, std::memory_order_relaxed);
    probes_in_flight_.store(0, std::memory_order_relaxed);
    const Word next{BreakerState::closed, static_cast<std::uint32_t>((from.epoch + 1) & kEpochMask),
                    0};
    if (word_.compare_exchange_weak(bits, pack(next), std::memory_order_acq_rel)) {
      if (listener_ && from.state != BreakerState::closed) {
        listener_({from.state, BreakerState::closed, TransitionReason::manual_reset});
      }
      return;
    }
  }
}

BreakerState CircuitBreaker::state() const {
  return unpack(word_.load(std::memory_order_acquire)).state;
}

BreakerSnapshot CircuitBreaker::snapshot() const {
  const Word word = unpack(word_.load(std::memory_order_acquire));
  const std::uint64_t window = window_.load(std::memory_order_relaxed);
  BreakerSnapshot out;
  out.state = word.state;
  out.consecutive_failures = consecutive_failures_.load(std::memory_order_relaxed);
  out.window_calls = static_cast<int>(window >> kCountShift);
  out.window_failures = std::popcount(window & kHistoryMask);
  if (word.state == BreakerState::open) {
    const auto reopen =
        word.opened_at_ms + static_cast<std::uint64_t>(options_.open_duration.count());
    const std::uint64_t now = now_ms();
    out.time_to_half_open = std::chrono::milliseconds(reopen > now ? reopen - now : 0);
  }
  return out;
}

}  // namespace sre::resilience
