// The HDR-style histogram: bucket arithmetic without gaps or overlaps, the promised
// resolution, and percentiles of known distributions.
#include "loadtest/latency_histogram.h"

#include <gtest/gtest.h>

namespace sre::loadtest {
namespace {

TEST(LatencyHistogram, BucketsTileTheRangeWithoutGapsOrOverlaps) {
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < LatencyHistogram::bucket_count(); ++i) {
    ASSERT_EQ(LatencyHistogram::lowest_in(i), next) << "bucket " << i;
    ASSERT_GE(LatencyHistogram::highest_in(i), LatencyHistogram::lowest_in(i));
    next = LatencyHistogram::highest_in(i) + 1;
  }
  EXPECT_EQ(next - 1, LatencyHistogram::kMaxValue);
}

TEST(LatencyHistogram, EveryValueFallsInItsBucketWithinATenthOfAPercent) {
  for (std::uint64_t v = 0; v < 5'000'000; v = v < 5000 ? v + 1 : v + 997) {
    const auto i = LatencyHistogram::index_of(v);
    ASSERT_LE(LatencyHistogram::lowest_in(i), v);
    ASSERT_GE(LatencyHistogram::highest_in(i), v);
    const auto width = LatencyHistogram::highest_in(i) - LatencyHistogram::lowest_in(i) + 1;
    ASSERT_LE(static_cast<double>(width), std::max(1.0, static_cast<double>(v) / 1024.0)) << v;
  }
  EXPECT_EQ(LatencyHistogram::index_of(2047), 2047u) << "below 2048 us every value is exact";
  EXPECT_EQ(LatencyHistogram::index_of(LatencyHistogram::kMaxValue * 4),
            LatencyHistogram::index_of(LatencyHistogram::kMaxValue))
      << "larger values are clamped";
}

TEST(LatencyHistogram, PercentilesOfAUniformRun) {
  LatencyHistogram h;
  for (std::uint64_t v = 1; v <= 100'000; ++v) {
    h.record(v);
  }
  EXPECT_EQ(h.count(), 100'000u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 100'000u);
  EXPECT_NEAR(h.mean(), 50'000.5, 1e-6);
  auto near = [](std::uint64_t got, double want) {
    EXPECT_GE(static_cast<double>(got), want) << "a percentile is never below the true value";
    EXPECT_LE(static_cast<double>(got), want * 1.001 + 1) << "and within the resolution";
  };
  near(h.value_at_percentile(50), 50'000);
  near(h.value_at_percentile(90), 90'000);
  near(h.value_at_percentile(99), 99'000);
  near(h.value_at_percentile(99.9), 99'900);
  EXPECT_EQ(h.value_at_percentile(100), 100'000u);
}

TEST(LatencyHistogram, ATailOfOnePercentIsP99NotTheMean) {
  LatencyHistogram h;
  for (int i = 0; i < 980; ++i) {
    h.record(1'000);  // 1 ms
  }
  for (int i = 0; i < 20; ++i) {
    h.record(2'000'000);  // 2 s
  }
  EXPECT_EQ(h.value_at_percentile(50), 1'000u);
  EXPECT_EQ(h.value_at_percentile(98), 1'000u);
  EXPECT_GE(h.value_at_percentile(99), 2'000'000u);
  EXPECT_EQ(h.count_at_or_below(250'000), 980u);
  EXPECT_EQ(h.count_at_or_below(999), 0u);
}

TEST(LatencyHistogram, MergingAddsCountsAndKeepsExtremes) {
  LatencyHistogram a;
  LatencyHistogram b;
  a.record(10);
  a.record(20);
  b.record(5);
  b.record(70'000);
  LatencyHistogram all;
  all.add(a);
  all.add(b);
  EXPECT_EQ(all.count(), 4u);
  EXPECT_EQ(all.min(), 5u);
  EXPECT_EQ(all.max(), 70'000u);
  EXPECT_EQ(all.value_at_percentile(50), 10u);
  EXPECT_EQ(all.count_at_or_below(20), 3u);
}

TEST(LatencyHistogram, EmptyReadsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.value_at_percentile(99), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

}  // namespace
}  // namespace sre::loadtest
