#include "ratelimit/fallback_state.h"

#include <gtest/gtest.h>

namespace sre::ratelimit {
namespace {

using std::chrono::milliseconds;
const FallbackState::Clock::time_point t0{std::chrono::hours(1)};

TEST(FallbackState, EntersOnceOnTheFirstFailure) {
  FallbackState state;
  EXPECT_TRUE(state.succeeded(t0) == false);
  EXPECT_TRUE(state.failed(t0));
  EXPECT_FALSE(state.failed(t0 + milliseconds(1)));
  EXPECT_TRUE(state.active());
}

TEST(FallbackState, ThreadsReconnectingAtDifferentMomentsDoNotFlap) {
  // Thread A is back on Redis, thread B still failing: their decisions interleave for seconds.
  FallbackState state;
  int entries = state.failed(t0) ? 1 : 0;
  int exits = 0;
  for (int ms = 10; ms < 3000; ms += 10) {
    exits += state.succeeded(t0 + milliseconds(ms)) ? 1 : 0;     // thread A
    entries += state.failed(t0 + milliseconds(ms + 5)) ? 1 : 0;  // thread B
  }
  EXPECT_EQ(entries, 1);
  EXPECT_EQ(exits, 0);
  // B reconnects at 3 s: once nothing has failed for a second, the first success leaves.
  EXPECT_FALSE(state.succeeded(t0 + milliseconds(3500)));
  EXPECT_TRUE(state.succeeded(t0 + milliseconds(4000)));
  EXPECT_FALSE(state.succeeded(t0 + milliseconds(4001)));
  EXPECT_FALSE(state.active());
}

}  // namespace
}  // namespace sre::ratelimit
