// A circuit breaker for one dependency (the grade service), shared by every I/O thread.
//
//   CLOSED --(N consecutive failures, or failure rate >= R over the last W calls)--> OPEN
//   OPEN   --(open time elapsed; the next caller moves it)--------------------------> HALF_OPEN
//   HALF_OPEN --(a probe succeeds)--> CLOSED      HALF_OPEN --(a probe fails)--> OPEN
//
// While OPEN no call is allowed through: callers answer with their fallback at once, and the
// dependency gets time to recover instead of a retry storm. Slow calls count as failures: a
// dependency that answers in 2 s is as useless to a 500 ms objective as one that does not.
//
// Lock-free: the state, its epoch and the time it opened live in ONE 64-bit atomic word, so a
// transition is a single compare-and-swap and exactly one thread wins it (that thread logs it
// and counts it). The last W outcomes are a shift register in another atomic word, the
// consecutive-failure count in a third. Every permit carries the epoch it was granted in; an
// outcome reported after the state moved on (a slow call from before the breaker opened) is
// ignored rather than corrupting the new state's counts.
//
// Each process (each API replica) has its own breaker: normal practice, and what keeps the
// request path free of any shared service. The clock is injected so tests drive time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sre::resilience {

using SteadyClock = std::chrono::steady_clock;
using NowFunction = std::function<SteadyClock::time_point()>;

enum class BreakerState : std::uint8_t { closed = 0, open = 1, half_open = 2 };
std::string_view to_string(BreakerState state);

struct CircuitBreakerOptions {
  int consecutive_failure_threshold = 3;  // the seed's value
  double failure_rate_threshold = 0.5;    // over the sliding window...
  int window_size = 20;                   // ...of the last calls (at most 32)...
  int minimum_calls = 10;                 // ...once it holds at least this many
  std::chrono::milliseconds open_duration{60'000};
  std::chrono::milliseconds slow_call_threshold{300};
  int half_open_probes = 3;  // probe calls let through at once in HALF_OPEN
};

// Why the breaker moved: shown in logs and in the transition metric.
enum class TransitionReason : std::uint8_t {
  consecutive_failures,
  failure_rate,
  open_time_elapsed,
  probe_succeeded,
  probe_failed,
  manual_reset,
};
std::string_view to_string(TransitionReason reason);

struct BreakerTransition {
  BreakerState from;
  BreakerState to;
  TransitionReason reason;
};

// What admin endpoints and metrics show.
struct BreakerSnapshot {
  BreakerState state = BreakerState::closed;
  int consecutive_failures = 0;
  int window_calls = 0;
  int window_failures = 0;
  std::chrono::milliseconds time_to_half_open{0};  // 0 unless OPEN
};

class CircuitBreaker {
 public:
  // Called by the thread that made a transition, once per transition (for logs, metrics).
  using TransitionListener = std::function<void(const BreakerTransition&)>;

  // The outcome of asking to make a call. When `allowed`, report the call's result with
  // on_success / on_failure, passing the permit back.
  struct Permit {
    bool allowed = false;
    std::uint32_t epoch = 0;
  };

  CircuitBreaker(std::string name, CircuitBreakerOptions options, NowFunction now = nullptr);
  void set_listener(TransitionListener listener) { listener_ = std::move(listener); }

  Permit try_acquire();
  // `elapsed`: how long the call took; slower than the threshold counts as a failure.
  void on_success(const Permit& permit, std::chrono::nanoseconds elapsed);
  void on_failure(const Permit& permit);
  // Operator action: back to CLOSED with empty counts.
  void reset();

  BreakerState state() const;
  BreakerSnapshot snapshot() const;
  const std::string& name() const { return name_; }
  const CircuitBreakerOptions& options() const { return options_; }

 private:
  // The packed state word: state (2 bits) | epoch (22 bits) | opened_at in ms since start.
  struct Word {
    BreakerState state;
    std::uint32_t epoch;
    std::uint64_t opened_at_ms;
  };
  static std::uint64_t pack(const Word& word);
  static Word unpack(std::uint64_t bits);

  std::uint64_t now_ms() const;
  // CAS from `expected` to `to` with a new epoch; returns true if this thread won.
  bool transition(std::uint64_t expected, BreakerState to, TransitionReason reason);
  void record_closed_outcome(std::uint32_t epoch, bool failed);

  std::string name_;
  CircuitBreakerOptions options_;
  NowFunction now_;
  SteadyClock::time_point start_;
  TransitionListener listener_;

  std::atomic<std::uint64_t> word_;
  // Bits 0..window_size-1: the last outcomes (1 = failure), newest in bit 0; bits 56..63:
  // how many outcomes the window holds.
  std::atomic<std::uint64_t> window_{0};
  std::atomic<int> consecutive_failures_{0};
  std::atomic<int> probes_in_flight_{0};
};

}  // namespace sre::resilience
