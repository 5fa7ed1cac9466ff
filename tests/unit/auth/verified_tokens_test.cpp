// The per-thread cache of verified tokens never answers for a token it was not given, nor
// after the token's validity ends.
#include "auth/verified_tokens.h"

#include <gtest/gtest.h>

namespace sre::auth {
namespace {

TEST(VerifiedTokens, AnswersOnlyForTheSameTokenUntilItsEnd) {
  VerifiedTokens cache;
  const Claims claims{"ada", Role::staff, 100, 200, "sre-playground", "j"};
  const std::string token = "aaa.bbb.ccc";
  EXPECT_EQ(cache.find(token, 150), nullptr);
  cache.remember(token, claims, 230);
  ASSERT_NE(cache.find(token, 230), nullptr);
  EXPECT_EQ(cache.find(token, 230)->subject, "ada");
  EXPECT_EQ(cache.find(token, 231), nullptr) << "kept past its validity";
  EXPECT_EQ(cache.find("aaa.bbb.ccd", 150), nullptr) << "another token of the same length";
  EXPECT_EQ(cache.find("aaa.bbb.cc", 150), nullptr) << "a prefix";
}

TEST(VerifiedTokens, ANewerTokenTakesItsSlotOver) {
  VerifiedTokens cache;
  const Claims claims{"ada", Role::staff, 100, 200, "sre-playground", "j"};
  // Find two tokens of the same length that share a slot.
  std::string first = "t1000";
  std::string second;
  for (int i = 1001; second.empty(); ++i) {
    std::string candidate = "t" + std::to_string(i);
    if (std::hash<std::string_view>{}(candidate) % VerifiedTokens::kSlots ==
        std::hash<std::string_view>{}(first) % VerifiedTokens::kSlots) {
      second = candidate;
    }
  }
  cache.remember(first, claims, 300);
  cache.remember(second, claims, 300);
  EXPECT_EQ(cache.find(first, 150), nullptr);
  EXPECT_NE(cache.find(second, 150), nullptr);
}

}  // namespace
}  // namespace sre::auth
