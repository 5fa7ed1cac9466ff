// Each route's requests, errors and p99 per minute, folded from the HTTP metrics' families.
#include "slo/route_stats.h"

#include <gtest/gtest.h>

#include "slo/families.h"

namespace sre::slo {
namespace {

using namespace std::chrono_literals;
using prometheus::MetricType;
using testing::counter;
using testing::family;
using testing::histogram;

const auto kStart = std::chrono::system_clock::time_point(std::chrono::minutes(29'000'000));
const std::vector<double> kBounds{0.1, 0.25, 1.0};

TEST(BucketQuantile, InterpolatesWithinTheBucketLikeHistogramQuantile) {
  EXPECT_FALSE(bucket_quantile(0.99, kBounds, {0, 0, 0, 0}));
  // 100 requests, all within the first bucket: rank 99 of 100 -> 0.099.
  EXPECT_NEAR(*bucket_quantile(0.99, kBounds, {100, 0, 0, 0}), 0.099, 1e-12);
  // 90 under 0.1, 10 in (0.1, 0.25]: rank 99 is the 9th of 10 -> 0.1 + 0.15 * 0.9.
  EXPECT_NEAR(*bucket_quantile(0.99, kBounds, {90, 10, 0, 0}), 0.235, 1e-12);
  // In +Inf: the highest finite bound.
  EXPECT_DOUBLE_EQ(*bucket_quantile(0.99, kBounds, {50, 0, 0, 50}), 1.0);
}

std::vector<prometheus::MetricFamily> scrape(double ok, double failed,
                                             const std::vector<std::uint64_t>& latency) {
  return {family("http_requests_total", MetricType::Counter,
                 {counter({{"method", "GET"}, {"route", "/a"}, {"status", "200"}}, ok),
                  counter({{"method", "GET"}, {"route", "/a"}, {"status", "503"}}, failed),
                  counter({{"method", "GET"}, {"route", "/quiet"}, {"status", "200"}}, 0)}),
          family("http_request_duration_seconds", MetricType::Histogram,
                 {histogram({{"method", "GET"}, {"route", "/a"}}, kBounds, latency)})};
}

TEST(RouteStats, RatesAndP99PerMinuteOfTheRoutesWithTraffic) {
  RouteStats stats({"unmatched", "/a", "/quiet"}, kBounds, kStart);
  stats.fold(scrape(54, 6, {60, 0, 0, 0}), kStart + 59s);            // minute 0: 60 requests
  stats.fold(scrape(54 + 120, 6, {60, 110, 10, 0}), kStart + 119s);  // minute 1: 120, slower
  auto history = stats.history(3);
  ASSERT_EQ(history.size(), 1U);  // /quiet and unmatched had no requests
  const auto& a = history[0];
  EXPECT_EQ(a.route, "/a");
  ASSERT_EQ(a.requests_per_second.size(), 3U);
  EXPECT_EQ(a.requests_per_second[0], 0.0);  // before the start
  EXPECT_FALSE(a.p99_seconds[0]);
  EXPECT_DOUBLE_EQ(a.requests_per_second[1], 1.0);
  EXPECT_DOUBLE_EQ(a.errors_per_second[1], 0.1);
  EXPECT_NEAR(*a.p99_seconds[1], 0.099, 1e-12);
  EXPECT_DOUBLE_EQ(a.requests_per_second[2], 2.0);  // the latest minute, folded at its end
  EXPECT_DOUBLE_EQ(a.errors_per_second[2], 0.0);
  // 110 in (0.1, 0.25], 10 in (0.25, 1]: rank 118.8 of 120 falls in the third bucket.
  EXPECT_NEAR(*a.p99_seconds[2], 0.25 + 0.75 * (118.8 - 110) / 10, 1e-12);
}

}  // namespace
}  // namespace sre::slo
