// The open-loop schedule and each connection's share of a run.
#include "loadtest/run_plan.h"

#include <gtest/gtest.h>

#include <set>

namespace sre::loadtest {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(RunPlan, OpenLoopRequestNIsDueAtNOverTheRate) {
  RunPlan plan(4, 200.0, seconds(10), 0);
  EXPECT_EQ(plan.due(0), nanoseconds(0));
  EXPECT_EQ(plan.due(1), milliseconds(5));
  EXPECT_EQ(plan.due(200), seconds(1));
  // Computed from n, never by adding intervals: no drift after many requests at a rate
  // whose interval is not a whole number of nanoseconds.
  RunPlan thirds(1, 3.0, seconds(1'000'000), 0);
  EXPECT_EQ(thirds.due(3'000'000), seconds(1'000'000));
  EXPECT_EQ(thirds.due(1), nanoseconds(333'333'333));
}

TEST(RunPlan, ConnectionsInterleaveAndShareEveryNumberOnce) {
  RunPlan plan(3, 30.0, seconds(1), 0);
  std::set<std::uint64_t> numbers;
  for (unsigned c = 0; c < 3; ++c) {
    for (std::uint64_t k = 0; plan.includes(plan.number(c, k)); ++k) {
      EXPECT_TRUE(numbers.insert(plan.number(c, k)).second);
    }
  }
  EXPECT_EQ(numbers.size(), 30u) << "30 req/s for 1 s";
  EXPECT_EQ(*numbers.rbegin(), 29u);
  // Connection 1's requests are due 100 ms apart, a third of the way between connection 0's.
  EXPECT_EQ(plan.due(plan.number(1, 0)), nanoseconds(33'333'333));
  EXPECT_EQ(plan.due(plan.number(1, 1)) - plan.due(plan.number(1, 0)), milliseconds(100));
}

TEST(RunPlan, TheCountLimitAndTheDurationEachEndARun) {
  RunPlan counted(4, 1000.0, seconds(10), 10);
  EXPECT_TRUE(counted.includes(9));
  EXPECT_FALSE(counted.includes(10));
  RunPlan timed(4, 1000.0, seconds(2), 0);
  EXPECT_TRUE(timed.includes(1999));
  EXPECT_FALSE(timed.includes(2000)) << "due exactly at the end: not in the run";
}

TEST(RunPlan, ClosedLoopIsAlwaysDueAndOnlyCounted) {
  RunPlan plan(2, std::nullopt, seconds(5), 3);
  EXPECT_FALSE(plan.open_loop());
  EXPECT_EQ(plan.due(1'000'000), nanoseconds(0));
  EXPECT_TRUE(plan.includes(2));
  EXPECT_FALSE(plan.includes(3));
  RunPlan unlimited(2, std::nullopt, seconds(5), 0);
  EXPECT_TRUE(unlimited.includes(1'000'000'000)) << "the clock ends a closed loop";
}

}  // namespace
}  // namespace sre::loadtest
