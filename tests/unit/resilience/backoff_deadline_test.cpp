#include <gtest/gtest.h>

#include "resilience/backoff.h"
#include "resilience/bulkhead.h"
#include "resilience/deadline.h"

namespace sre::resilience {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, FullJitterIsUniformBelowAnExponentialCeilingThatStopsAtTheCap) {
  BackoffPolicy policy{25ms, 250ms};
  EXPECT_EQ(full_jitter_backoff(policy, 0, 0.0), 0us);
  EXPECT_EQ(full_jitter_backoff(policy, 0, 0.5), 12500us);
  EXPECT_EQ(full_jitter_backoff(policy, 1, 0.5), 25000us);
  EXPECT_EQ(full_jitter_backoff(policy, 2, 0.999), 99900us);
  EXPECT_EQ(full_jitter_backoff(policy, 10, 0.5), 125000us);    // capped at 250 ms
  EXPECT_EQ(full_jitter_backoff(policy, 1000, 0.5), 125000us);  // no overflow
  for (int i = 0; i < 100; ++i) {
    double r = thread_random01();
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 1.0);
  }
}

TEST(Backoff, EqualJitterDoublesFromTheBaseUpToTheCap) {
  const BackoffPolicy policy{100ms, 1000ms};
  // random 0.999..: the top of each range (ceiling); random 0: half of it.
  EXPECT_EQ(equal_jitter_backoff(policy, 0, 0.0), 50ms);
  EXPECT_EQ(equal_jitter_backoff(policy, 0, 0.9999), 99ms);
  EXPECT_EQ(equal_jitter_backoff(policy, 1, 0.0), 100ms);
  EXPECT_EQ(equal_jitter_backoff(policy, 2, 0.0), 200ms);
  EXPECT_EQ(equal_jitter_backoff(policy, 3, 0.0), 400ms);
  EXPECT_EQ(equal_jitter_backoff(policy, 4, 0.0), 500ms);  // 1600 capped at 1000, half fixed
  EXPECT_EQ(equal_jitter_backoff(policy, 50, 0.9999), 999ms);
}

TEST(Backoff, EqualJitterSpreadsDelaysOverTheUpperHalf) {
  const BackoffPolicy policy{100ms, 1000ms};
  auto low = equal_jitter_backoff(policy, 10, 0.0);
  auto high = equal_jitter_backoff(policy, 10, 0.9999);
  EXPECT_EQ(low, 500ms);
  EXPECT_GT(high, 990ms);
  EXPECT_LE(high, policy.cap);
}

TEST(Deadline, RemainingNeverGoesNegativeAndCapTakesTheEarlier) {
  const auto start = Deadline::Clock::time_point(1h);
  auto deadline = Deadline::after(100ms, start);
  EXPECT_EQ(deadline.remaining(start + 30ms), 70ms);
  EXPECT_EQ(deadline.remaining(start + 300ms), 0ms);
  EXPECT_TRUE(deadline.expired(start + 100ms));
  EXPECT_EQ(deadline.capped(50ms, start).at(), start + 50ms);
  EXPECT_EQ(deadline.capped(500ms, start).at(), start + 100ms);
}

TEST(Deadline, ParsesOnlySaneRequestTimeouts) {
  EXPECT_EQ(parse_request_timeout("250"), 250ms);
  EXPECT_EQ(parse_request_timeout("3600000"), 3600000ms);
  for (const char* bad : {"", "0", "-5", "1.5", "12ms", " 10", "3600001", "99999999999999999999"}) {
    EXPECT_FALSE(parse_request_timeout(bad)) << bad;
  }
}

TEST(Bulkhead, RefusesOverTheLimitAndFreesSlotsOnScopeExit) {
  Bulkhead bulkhead(2);
  auto a = bulkhead.try_enter();
  {
    auto b = bulkhead.try_enter();
    EXPECT_TRUE(a && b);
    EXPECT_FALSE(bulkhead.try_enter());
  }
  EXPECT_EQ(bulkhead.in_use(), 1);
  auto c = bulkhead.try_enter();
  EXPECT_TRUE(c);
  auto moved = std::move(c);
  EXPECT_EQ(bulkhead.in_use(), 2);
}

}  // namespace
}  // namespace sre::resilience
