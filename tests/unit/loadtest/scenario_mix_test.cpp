// Picking request kinds by weight.
#include "loadtest/scenario_mix.h"

#include <gtest/gtest.h>

#include <map>

namespace sre::loadtest {
namespace {

std::map<RequestKind, int> picks_over_all_draws(const ScenarioMix& mix) {
  std::map<RequestKind, int> picks;
  // 2^16 draws spread evenly over [0, 2^32): each kind's share is its weight's.
  for (std::uint64_t draw = 0; draw < (std::uint64_t{1} << 32); draw += 1u << 16) {
    ++picks[mix.pick(static_cast<std::uint32_t>(draw))];
  }
  return picks;
}

TEST(ScenarioMix, EachKindIsPickedInProportionToItsWeight) {
  auto mix = ScenarioMix::from({.read = 70, .list = 10, .create = 10, .grades = 10});
  ASSERT_TRUE(mix);
  auto picks = picks_over_all_draws(*mix);
  const double draws = 1 << 16;
  EXPECT_NEAR(picks[RequestKind::read] / draws, 0.70, 0.001);
  EXPECT_NEAR(picks[RequestKind::list] / draws, 0.10, 0.001);
  EXPECT_NEAR(picks[RequestKind::create] / draws, 0.10, 0.001);
  EXPECT_NEAR(picks[RequestKind::grades] / draws, 0.10, 0.001);
  EXPECT_EQ(mix->pick(0), RequestKind::read);
  EXPECT_EQ(mix->pick(0xFFFFFFFFu), RequestKind::grades);
  EXPECT_EQ(mix->describe(), "read 70%, list 10%, create 10%, grades 10%");
}

TEST(ScenarioMix, AZeroWeightIsNeverPicked) {
  auto mix = ScenarioMix::from({.read = 0, .list = 1, .create = 0, .grades = 3});
  ASSERT_TRUE(mix);
  auto picks = picks_over_all_draws(*mix);
  EXPECT_EQ(picks.count(RequestKind::read), 0u);
  EXPECT_EQ(picks.count(RequestKind::create), 0u);
  EXPECT_NEAR(picks[RequestKind::grades] / double(1 << 16), 0.75, 0.001);
  EXPECT_FALSE(mix->uses(RequestKind::read));
  EXPECT_TRUE(mix->uses(RequestKind::grades));
  EXPECT_EQ(mix->describe(), "list 25%, grades 75%");
}

TEST(ScenarioMix, AllWeightsZeroIsNoMix) {
  EXPECT_FALSE(ScenarioMix::from({}));
}

TEST(ScenarioMix, PickRandomCoversBothHalves) {
  PickRandom random(1);
  int high = 0;
  for (int i = 0; i < 10'000; ++i) {
    high += random.next() >= 0x80000000u ? 1 : 0;
  }
  EXPECT_NEAR(high, 5'000, 300);
}

}  // namespace
}  // namespace sre::loadtest
