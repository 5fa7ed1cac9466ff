#include "ratelimit/local_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace sre::ratelimit {
namespace {

const Rate kCreate{10, std::chrono::seconds(60), 15};

TEST(LocalLimiter, SeedDemoFromOneClient) {
  LocalLimiter limiter;
  std::vector<bool> allowed;
  for (int i = 0; i < 20; ++i) {
    allowed.push_back(limiter.take_at(kCreate, 0, "ip:127.0.0.1", 1000 + i).allowed);
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(allowed[i], i < 15) << "request " << i + 1;
  }
}

TEST(LocalLimiter, ClientsAndPoliciesHaveTheirOwnBuckets) {
  LocalLimiter limiter;
  for (int i = 0; i < 15; ++i) {
    limiter.take_at(kCreate, 0, "ip:10.0.0.1", 1);
  }
  EXPECT_FALSE(limiter.take_at(kCreate, 0, "ip:10.0.0.1", 1).allowed);
  EXPECT_TRUE(limiter.take_at(kCreate, 0, "ip:10.0.0.2", 1).allowed);
  EXPECT_TRUE(limiter.take_at(kCreate, 1, "ip:10.0.0.1", 1).allowed);
}

TEST(LocalLimiter, ThreadsTogetherAdmitExactlyTheBurst) {
  LocalLimiter limiter;
  const Rate rate{1, std::chrono::seconds(3600), 1000};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (limiter.take_at(rate, 0, "ip:192.0.2.1", 1).allowed) {
          ++admitted;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(admitted.load(), 1000);
}

}  // namespace
}  // namespace sre::ratelimit
