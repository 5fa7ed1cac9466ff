#include "ratelimit/token_bucket.h"

#include <gtest/gtest.h>

namespace sre::ratelimit {
namespace {

constexpr Micros kSecond = 1'000'000;

// 10 per minute, burst 15: one token every 6 s, 15 at once.
const Rate kCreate{10, std::chrono::seconds(60), 15};

TEST(TokenBucket, AFullBucketAdmitsTheBurstThenRefuses) {
  Micros tat = 0;
  const Micros now = 1000 * kSecond;
  for (int i = 1; i <= 15; ++i) {
    auto result = take(kCreate, tat, now);
    ASSERT_TRUE(result.decision.allowed) << "request " << i;
    EXPECT_EQ(result.decision.remaining, 15 - i);
    tat = result.new_tat;
  }
  auto refused = take(kCreate, tat, now);
  EXPECT_FALSE(refused.decision.allowed);
  EXPECT_EQ(refused.decision.remaining, 0);
  EXPECT_EQ(refused.new_tat, tat) << "a refusal does not change the bucket";
  EXPECT_EQ(refused.decision.retry_after_us, 6 * kSecond);
  EXPECT_EQ(refused.decision.reset_us, 90 * kSecond);
}

TEST(TokenBucket, RefillsOneTokenPerInterval) {
  Micros tat = 0;
  Micros now = 0;
  for (int i = 0; i < 15; ++i) {
    tat = take(kCreate, tat, now).new_tat;
  }
  now += 6 * kSecond - 1;
  EXPECT_FALSE(take(kCreate, tat, now).decision.allowed) << "one microsecond early";
  now += 1;
  auto result = take(kCreate, tat, now);
  EXPECT_TRUE(result.decision.allowed);
  EXPECT_FALSE(take(kCreate, result.new_tat, now).decision.allowed) << "only one came back";
}

TEST(TokenBucket, NeverHoldsMoreThanTheBurst) {
  auto result = take(kCreate, 0, 365 * 24 * 3600 * kSecond);
  EXPECT_TRUE(result.decision.allowed);
  EXPECT_EQ(result.decision.remaining, 14);
  EXPECT_EQ(result.decision.reset_us, 6 * kSecond);
}

TEST(TokenBucket, SlowRatesDoNotLoseFractionsToRounding) {
  // 5 per minute: a token every 12 s. Asking every millisecond must not stall the refill.
  const Rate slow{5, std::chrono::seconds(60), 5};
  Micros tat = 0;
  int allowed = 0;
  for (Micros now = 0; now <= 60 * kSecond; now += 1000) {
    auto result = take(slow, tat, now);
    allowed += result.decision.allowed ? 1 : 0;
    tat = result.new_tat;
  }
  EXPECT_EQ(allowed, 5 + 5) << "the burst, then one every 12 s for a minute";
}

TEST(TokenBucket, DescribeMatchesTake) {
  // The Redis script returns (allowed, ahead); describe() must give what take() gives.
  auto result = take(kCreate, 0, 0);
  auto described = describe(kCreate, true, result.new_tat);
  EXPECT_EQ(described.remaining, result.decision.remaining);
  EXPECT_EQ(described.reset_us, result.decision.reset_us);
}

TEST(TokenBucket, CeilSeconds) {
  EXPECT_EQ(ceil_seconds(0), 0);
  EXPECT_EQ(ceil_seconds(1), 1);
  EXPECT_EQ(ceil_seconds(kSecond), 1);
  EXPECT_EQ(ceil_seconds(kSecond + 1), 2);
}

}  // namespace
}  // namespace sre::ratelimit
