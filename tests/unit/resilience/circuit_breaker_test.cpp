// The breaker's state machine, driven by a fake clock.
#include "resilience/circuit_breaker.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace sre::resilience {
namespace {

using namespace std::chrono_literals;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreakerTest() {
    options.open_duration = 10s;
    options.slow_call_threshold = 100ms;
    options.half_open_probes = 2;
  }
  std::unique_ptr<CircuitBreaker> make_breaker() {
    return std::make_unique<CircuitBreaker>("test", options, [this] { return now; });
  }
  void fail(CircuitBreaker& breaker, int times) {
    for (int i = 0; i < times; ++i) {
      auto permit = breaker.try_acquire();
      ASSERT_TRUE(permit.allowed);
      breaker.on_failure(permit);
    }
  }
  void succeed(CircuitBreaker& breaker, int times) {
    for (int i = 0; i < times; ++i) {
      auto permit = breaker.try_acquire();
      ASSERT_TRUE(permit.allowed);
      breaker.on_success(permit, 1ms);
    }
  }

  CircuitBreakerOptions options;
  SteadyClock::time_point now = SteadyClock::time_point(1h);
};

TEST_F(CircuitBreakerTest, OpensAfterConsecutiveFailuresAndRejectsWhileOpen) {
  auto owned = make_breaker();
  auto& breaker = *owned;
  fail(breaker, 2);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  fail(breaker, 1);
  EXPECT_EQ(breaker.state(), BreakerState::open);
  EXPECT_FALSE(breaker.try_acquire().allowed);
  now += 9s;
  EXPECT_FALSE(breaker.try_acquire().allowed);
  EXPECT_EQ(breaker.snapshot().time_to_half_open, 1s);
}

TEST_F(CircuitBreakerTest, ASuccessResetsTheConsecutiveCount) {
  auto owned = make_breaker();
  auto& breaker = *owned;
  fail(breaker, 2);
  succeed(breaker, 1);
  fail(breaker, 2);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

TEST_F(CircuitBreakerTest, OpensOnFailureRateOverTheWindowOnceItHasMinimumCalls) {
  options.consecutive_failure_threshold = 100;  // only the rate counts here
  auto owned = make_breaker();
  auto& breaker = *owned;
  // Alternate: 50% failures, but fewer than minimum_calls (10) at first.
  for (int i = 0; i < 4; ++i) {
    fail(breaker, 1);
    succeed(breaker, 1);
  }
  EXPECT_EQ(breaker.state(), BreakerState::closed);  // 8 calls < 10
  succeed(breaker, 1);
  EXPECT_EQ(breaker.state(), BreakerState::closed);  // 9 calls, 4 failures
  fail(breaker, 1);
  EXPECT_EQ(breaker.state(), BreakerState::open);  // 10 calls, 5 failures = 50%
}

TEST_F(CircuitBreakerTest, WindowHoldsOnlyTheLastCalls) {
  options.consecutive_failure_threshold = 100;
  auto owned = make_breaker();
  auto& breaker = *owned;
  fail(breaker, 2);
  succeed(breaker, 25);
  EXPECT_EQ(breaker.snapshot().window_calls, 20);    // the window holds the last 20...
  EXPECT_EQ(breaker.snapshot().window_failures, 0);  // ...and the early failures left it
  fail(breaker, 9);
  EXPECT_EQ(breaker.state(), BreakerState::closed);  // 9 of 20 = 45%
  fail(breaker, 1);
  EXPECT_EQ(breaker.state(), BreakerState::open);  // 10 of 20 = 50%
  EXPECT_EQ(breaker.snapshot().window_calls, 0);   // counts start empty after opening
}

TEST_F(CircuitBreakerTest, SlowSuccessesCountAsFailures) {
  auto owned = make_breaker();
  auto& breaker = *owned;
  for (int i = 0; i < 3; ++i) {
    auto permit = breaker.try_acquire();
    breaker.on_success(permit, 150ms);
  }
  EXPECT_EQ(breaker.state(), BreakerState::open);
}

TEST_F(CircuitBreakerTest, HalfOpenLetsAFewProbesThroughAndASuccessCloses) {
  auto owned = make_breaker();
  auto& breaker = *owned;
  fail(breaker, 3);
  now += 10s;
  auto first = breaker.try_acquire();
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  auto second = breaker.try_acquire();
  EXPECT_TRUE(second.allowed);
  EXPECT_FALSE(breaker.try_acquire().allowed);  // only 2 probes at a time
  breaker.on_success(first, 1ms);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  breaker.on_failure(second);  // from the half-open period: ignored after closing
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_EQ(breaker.snapshot().consecutive_failures, 0);
}

TEST_F(CircuitBreakerTest, AFailedProbeReopensForAnotherFullOpenTime) {
  auto owned = make_breaker();
  auto& breaker = *owned;
  fail(breaker, 3);
  now += 10s;
  auto probe = breaker.try_acquire();
  ASSERT_TRUE(probe.allowed);
  breaker.on_failure(probe);
  EXPECT_EQ(breaker.state(), BreakerState::open);
  now += 9s;
  EXPECT_FALSE(breaker.try_acquire().allowed);
  now += 1s;
  EXPECT_TRUE(breaker.try_acquire().allowed);
}

TEST_F(CircuitBreakerTest, LateOutcomesFromBeforeAnOpeningAreIgnored) {
  auto owned = make_breaker();
  auto& breaker = *owned;
  auto slow_call = breaker.try_acquire();  // granted while closed
  fail(breaker, 3);
  now += 10s;
  auto probe = breaker.try_acquire();
  ASSERT_TRUE(probe.allowed);
  breaker.on_failure(slow_call);  // reports late: must not reopen the half-open breaker
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
}

TEST_F(CircuitBreakerTest, ReportsEveryTransitionOnce) {
  auto owned = make_breaker();
  auto& breaker = *owned;
  std::vector<std::pair<BreakerState, BreakerState>> seen;
  breaker.set_listener([&](const BreakerTransition& t) { seen.emplace_back(t.from, t.to); });
  fail(breaker, 3);
  now += 10s;
  auto probe = breaker.try_acquire();
  breaker.on_failure(probe);
  now += 10s;
  probe = breaker.try_acquire();
  breaker.on_success(probe, 1ms);
  fail(breaker, 3);
  breaker.reset();
  const std::vector<std::pair<BreakerState, BreakerState>> expected{
      {BreakerState::closed, BreakerState::open},
      {BreakerState::open, BreakerState::half_open},
      {BreakerState::half_open, BreakerState::open},
      {BreakerState::open, BreakerState::half_open},
      {BreakerState::half_open, BreakerState::closed},
      {BreakerState::closed, BreakerState::open},
      {BreakerState::open, BreakerState::closed}};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace sre::resilience
