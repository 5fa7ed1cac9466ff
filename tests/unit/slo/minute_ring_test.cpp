// The per-minute counts behind the in-process SLO figures: sums over a range of minutes,
// minutes skipped are zero, and a minute reused after a full turn of the ring starts from zero.
#include "slo/minute_ring.h"

#include <gtest/gtest.h>

namespace sre::slo {
namespace {

TEST(MinuteRing, SumsTheMinutesOfARange) {
  MinuteRing ring(10, 2, 100);
  ring.add(0, 5);
  ring.advance_to(101);
  ring.add(0, 7);
  ring.add(1, 1);
  ring.advance_to(104);  // 102 and 103 had nothing
  ring.add(0, 3);
  EXPECT_EQ(ring.latest(), 104);
  EXPECT_EQ(ring.sum(0, 104, 5), 15U);
  EXPECT_EQ(ring.sum(0, 104, 4), 10U);
  EXPECT_EQ(ring.sum(0, 103, 2), 0U);
  EXPECT_EQ(ring.sum(1, 104, 10), 1U);
  EXPECT_EQ(ring.at(101, 0), 7U);
  EXPECT_EQ(ring.at(105, 0), 0U);  // not yet
}

TEST(MinuteRing, ForgetsWhatFellOutOfItsCapacity) {
  MinuteRing ring(10, 1, 0);
  for (std::int64_t minute = 0; minute < 25; ++minute) {
    ring.advance_to(minute);
    ring.add(0, 1);
  }
  EXPECT_EQ(ring.sum(0, 24, 10), 10U);
  EXPECT_EQ(ring.sum(0, 24, 30), 10U);  // older minutes are gone, not aliased
  EXPECT_EQ(ring.at(14, 0), 0U);
  EXPECT_EQ(ring.at(15, 0), 1U);
  ring.advance_to(100);  // a long pause: everything zeroed
  EXPECT_EQ(ring.sum(0, 100, 10), 0U);
}

TEST(MinuteRing, AClockSteppingBackKeepsTheLatestMinute) {
  MinuteRing ring(10, 1, 50);
  ring.advance_to(49);
  ring.add(0, 2);
  EXPECT_EQ(ring.latest(), 50);
  EXPECT_EQ(ring.at(50, 0), 2U);
}

}  // namespace
}  // namespace sre::slo
