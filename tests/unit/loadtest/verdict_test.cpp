// The verdict against monitoring/slo.yaml's objectives, and the ids the set-up reads.
#include "loadtest/verdict.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "loadtest/run_stats.h"
#include "loadtest/student_ids.h"

namespace sre::loadtest {
namespace {

Objectives committed_objectives() {
  std::ifstream file(std::string(SRE_SOURCE_DIR) + "/monitoring/slo.yaml");
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = slo::parse_slo_spec(text.str());
  EXPECT_TRUE(parsed.spec) << parsed.error;
  auto objectives = objectives_from(*parsed.spec);
  EXPECT_TRUE(std::holds_alternative<Objectives>(objectives)) << std::get<std::string>(objectives);
  return std::get<Objectives>(objectives);
}

TEST(Verdict, TheCommittedObjectivesAre250MsAt99AndAvailabilityAt999) {
  auto objectives = committed_objectives();
  ASSERT_TRUE(objectives.latency && objectives.availability);
  EXPECT_EQ(objectives.latency->threshold_micros, 250'000u);
  EXPECT_DOUBLE_EQ(objectives.latency->target, 0.99);
  EXPECT_DOUBLE_EQ(objectives.availability->target, 0.999);
}

TEST(Verdict, ALatencyTailOverOnePercentBreaches) {
  const auto objectives = committed_objectives();
  RunStats stats;
  for (int i = 0; i < 990; ++i) {
    stats.answered(200, 10'000);
  }
  for (int i = 0; i < 10; ++i) {
    stats.answered(200, 300'000);
  }
  auto verdict = judge(objectives, stats);
  ASSERT_EQ(verdict.size(), 2u);
  EXPECT_TRUE(verdict[0].met) << "exactly 99% within 250 ms meets 0.99";
  EXPECT_EQ(verdict[0].good, 990u);
  stats.answered(200, 260'000);
  verdict = judge(objectives, stats);
  EXPECT_FALSE(verdict[0].met);
  EXPECT_TRUE(verdict[1].met);
}

TEST(Verdict, ServerErrorsAndRequestsWithoutAnswerAreUnavailable) {
  const auto objectives = committed_objectives();
  RunStats stats;
  for (int i = 0; i < 1998; ++i) {
    stats.answered(i % 2 == 0 ? 200 : 429, 1'000);  // a 429 is the client's: good
  }
  stats.answered(503, 1'000);
  stats.failed(Failure::timeout);
  auto verdict = judge(objectives, stats);
  EXPECT_EQ(verdict[1].total, 2000u);
  EXPECT_EQ(verdict[1].good, 1998u);
  EXPECT_TRUE(verdict[1].met) << "99.9% of 2000 allows 2 bad ones";
  stats.failed(Failure::connect);
  verdict = judge(objectives, stats);
  EXPECT_FALSE(verdict[1].met) << "a third one breaches";
  EXPECT_TRUE(verdict[0].met) << "latency counts answered requests only";
}

TEST(Verdict, AnEmptyRunProvesNothing) {
  const auto verdict = judge(committed_objectives(), RunStats{});
  ASSERT_EQ(verdict.size(), 2u);
  EXPECT_FALSE(verdict[0].met);
  EXPECT_FALSE(verdict[1].met);
}

TEST(Verdict, ALatencyObjectiveWithoutABucketBoundIsRefused) {
  slo::SloSpec spec;
  spec.objectives.resize(2);
  spec.objectives[0].name = "api-latency";
  spec.objectives[0].good = "x_bucket{}";
  spec.objectives[1].name = "api-availability";
  EXPECT_TRUE(std::holds_alternative<std::string>(objectives_from(spec)));
}

TEST(StudentIds, FromAListPageOrACreatedStudent) {
  EXPECT_EQ(ids_in(R"([{"student_id":"STU-1","grade":7},{"student_id":"STU-2"},{"x":1}])"),
            (std::vector<std::string>{"STU-1", "STU-2"}));
  EXPECT_EQ(ids_in(R"({"student_id":"STU-9"})"), (std::vector<std::string>{"STU-9"}));
  EXPECT_TRUE(ids_in("not json").empty());
}

}  // namespace
}  // namespace sre::loadtest
