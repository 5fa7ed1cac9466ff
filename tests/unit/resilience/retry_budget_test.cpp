#include "resilience/retry_budget.h"

#include <gtest/gtest.h>

namespace sre::resilience {
namespace {

TEST(RetryBudget, StartsEmpty) {
  RetryBudget budget(0.1, 10);
  EXPECT_FALSE(budget.try_spend_retry());
}

TEST(RetryBudget, TenCallsBuyOneRetry) {
  RetryBudget budget(0.1, 10);
  for (int i = 0; i < 9; ++i) {
    budget.record_call();
  }
  EXPECT_FALSE(budget.try_spend_retry());
  budget.record_call();
  EXPECT_TRUE(budget.try_spend_retry());
  EXPECT_FALSE(budget.try_spend_retry());
}

TEST(RetryBudget, RetriesNeverExceedTheRatioOfCalls) {
  RetryBudget budget(0.1, 10);
  int retries = 0;
  for (int call = 1; call <= 1000; ++call) {
    budget.record_call();
    while (budget.try_spend_retry()) {  // a caller that retries whenever it may
      ++retries;
      EXPECT_LE(retries, call / 10);
    }
  }
  EXPECT_EQ(retries, 100);
}

TEST(RetryBudget, TheBalanceIsCappedSoQuietTimesCannotSaveUpABurst) {
  RetryBudget budget(0.1, 3);
  for (int i = 0; i < 1000; ++i) {
    budget.record_call();
  }
  EXPECT_DOUBLE_EQ(budget.tokens(), 3.0);
  int burst = 0;
  while (budget.try_spend_retry()) {
    ++burst;
  }
  EXPECT_EQ(burst, 3);
}

TEST(RetryBudget, ZeroRatioMeansNoRetries) {
  RetryBudget budget(0.0, 10);
  for (int i = 0; i < 100; ++i) {
    budget.record_call();
  }
  EXPECT_FALSE(budget.try_spend_retry());
}

}  // namespace
}  // namespace sre::resilience
