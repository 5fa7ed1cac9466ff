#include "obs/http_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>

#include <thread>

#include "core/io_thread.h"

namespace sre::obs {
namespace {

const prometheus::ClientMetric* find(const prometheus::MetricFamily& family,
                                     const std::vector<prometheus::ClientMetric::Label>& labels) {
  for (const auto& metric : family.metric) {
    if (metric.label == labels) {
      return &metric;
    }
  }
  return nullptr;
}

TEST(HttpMetrics, CountsByMethodRouteAndStatusAcrossShards) {
  HttpMetrics metrics({"unmatched", "/api/v1/students"}, 3);
  std::vector<std::thread> threads;
  for (unsigned shard = 0; shard < 3; ++shard) {
    threads.emplace_back([&metrics, shard] {
      core::set_io_thread_index(shard);
      for (int i = 0; i < 1000; ++i) {
        metrics.observe(1, "GET", 200, 0.002);
      }
      metrics.observe(1, "POST", 422, 0.0001);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  auto families = metrics.Collect();
  ASSERT_EQ(families.size(), 3U);
  const auto* ok =
      find(families[0], {{"method", "GET"}, {"route", "/api/v1/students"}, {"status", "200"}});
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->counter.value, 3000);
  const auto* invalid =
      find(families[0], {{"method", "POST"}, {"route", "/api/v1/students"}, {"status", "422"}});
  ASSERT_NE(invalid, nullptr);
  EXPECT_EQ(invalid->counter.value, 3);

  const auto* latency = find(families[1], {{"method", "GET"}, {"route", "/api/v1/students"}});
  ASSERT_NE(latency, nullptr);
  EXPECT_EQ(latency->histogram.sample_count, 3000U);
  EXPECT_NEAR(latency->histogram.sample_sum, 6.0, 1e-6);
  // 0.002 s lands in the 0.0025 bucket: buckets below it are empty, from it on all 3000.
  for (const auto& bucket : latency->histogram.bucket) {
    EXPECT_EQ(bucket.cumulative_count, bucket.upper_bound < 0.0025 ? 0U : 3000U)
        << bucket.upper_bound;
  }
}

TEST(HttpMetrics, InFlightIsTheSumOverShards) {
  HttpMetrics metrics({"unmatched", "/a"}, 2);
  std::thread other([&metrics] {
    core::set_io_thread_index(1);
    metrics.started();
    metrics.started();
  });
  other.join();
  metrics.started();  // not an I/O thread: the shard of other threads
  metrics.finished();
  auto families = metrics.Collect();
  ASSERT_EQ(families[2].name, "http_requests_in_flight");
  EXPECT_EQ(families[2].metric.at(0).gauge.value, 2);
}

TEST(HttpMetrics, UnknownRouteIdsAndStatusesAreFoldedNotLost) {
  HttpMetrics metrics({"unmatched"}, 1);
  metrics.observe(42, "BREW", 418, 0.1);
  auto families = metrics.Collect();
  const auto* other =
      find(families[0], {{"method", "other"}, {"route", "unmatched"}, {"status", "other"}});
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->counter.value, 1);
}

TEST(HttpMetrics, SeriesWithoutObservationsAreNotExported) {
  HttpMetrics metrics({"unmatched", "/a", "/b"}, 2);
  metrics.observe(2, "GET", 200, 0.01);
  auto families = metrics.Collect();
  EXPECT_EQ(families[0].metric.size(), 1U);
  EXPECT_EQ(families[1].metric.size(), 1U);
}

}  // namespace
}  // namespace sre::obs
