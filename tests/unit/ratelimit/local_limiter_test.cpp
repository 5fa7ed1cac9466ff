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

std::string client(int i) {
  return "ip:10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." +
         std::to_string(i % 256);
}

// The probe that found the bug: with a fixed table of slots shared by colliding clients,
// after 30,000 clients under a 1/h rule, a third of new clients were refused on their first
// request. Every client has its own bucket.
TEST(LocalLimiter, ThirtyThousandClientsThenNewOnesAllGetTheirFirstRequest) {
  LocalLimiter limiter;
  const Rate hourly{1, std::chrono::seconds(3600), 1};
  for (int i = 0; i < 30'000; ++i) {
    ASSERT_TRUE(limiter.take_at(hourly, 0, client(i), 1).allowed) << i;
  }
  for (int i = 30'000; i < 30'200; ++i) {
    EXPECT_TRUE(limiter.take_at(hourly, 0, client(i), 2).allowed) << "new client " << i;
  }
  for (int i = 0; i < 30'200; i += 97) {
    EXPECT_FALSE(limiter.take_at(hourly, 0, client(i), 3).allowed) << "second request " << i;
  }
}

TEST(LocalLimiter, FullBucketsMakeRoomForNewClients) {
  LocalLimiter limiter;
  const Rate per_second{1, std::chrono::seconds(1), 1};
  // Ten times the table's size over time: each client is back to full a second later.
  for (int i = 0; i < 10 * static_cast<int>(LocalLimiter::kSlots); ++i) {
    const Micros now = 1 + Micros{i / 50'000} * 1'000'000;
    ASSERT_TRUE(limiter.take_at(per_second, 0, client(i), now).allowed) << i;
  }
}

TEST(LocalLimiter, WhenEveryBucketIsLiveNewClientsAreStillAdmitted) {
  LocalLimiter limiter;
  const Rate hourly{1, std::chrono::seconds(3600), 1};
  const int clients = 2 * static_cast<int>(LocalLimiter::kSlots);
  int refused_first = 0;
  for (int i = 0; i < clients; ++i) {
    refused_first += limiter.take_at(hourly, 0, client(i), 1).allowed ? 0 : 1;
  }
  EXPECT_EQ(refused_first, 0) << "a full table errs on the lenient side, never on the strict";
}

}  // namespace
}  // namespace sre::ratelimit
