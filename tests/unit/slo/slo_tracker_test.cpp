// The in-process SLO figures, folded from growing counters minute by minute: SLI, error budget
// (fraction and minutes of outage), burn rates over their windows, and their history.
#include "slo/slo_tracker.h"

#include <gtest/gtest.h>

#include "slo/families.h"

namespace sre::slo {
namespace {

using namespace std::chrono_literals;
using prometheus::MetricType;
using testing::counter;
using testing::family;

const auto kStart = std::chrono::system_clock::time_point(std::chrono::minutes(29'000'000));

SloSpec spec() {
  SloSpec spec;
  Objective availability;
  availability.name = "api-availability";
  availability.target = 0.99;
  availability.window = *parse_window("1d");
  availability.total = R"(requests_total{job="api"})";
  availability.errors = R"(requests_total{job="api", status="500"})";
  Objective elsewhere = availability;
  elsewhere.name = "worker-freshness";
  elsewhere.total = R"(requests_total{job="worker"})";
  elsewhere.errors = R"(requests_total{job="worker", status="500"})";
  spec.objectives = {availability, elsewhere};
  return spec;
}

std::vector<prometheus::MetricFamily> counters(double good, double bad) {
  return {family("requests_total", MetricType::Counter,
                 {counter({{"status", "200"}}, good), counter({{"status", "500"}}, bad)})};
}

class SloTrackerTest : public ::testing::Test {
 protected:
  // The counters' cumulative values at minute `minute` after the start.
  void fold_at(int minute, double good, double bad) {
    tracker.fold(counters(good, bad), kStart + std::chrono::minutes(minute) + 30s);
  }
  SloSpec slo = spec();
  SloTracker tracker{slo, {{"job", "api"}}, kStart};
};

TEST_F(SloTrackerTest, AnObjectiveWithoutEventsHasItsWholeBudget) {
  fold_at(0, 0, 0);
  auto status = tracker.status();
  ASSERT_EQ(status.size(), 2U);
  EXPECT_EQ(status[0].total, 0U);
  EXPECT_FALSE(status[0].sli);
  EXPECT_DOUBLE_EQ(status[0].budget_remaining, 1.0);
  EXPECT_NEAR(status[0].budget_minutes, 1440 * 0.01, 1e-9);  // 1 - 0.99 is not 0.01 exactly
  EXPECT_NEAR(status[0].budget_remaining_minutes, 14.4, 1e-9);
  EXPECT_FALSE(status[0].burn_rates[0]);
}

TEST_F(SloTrackerTest, FoldsTheCountersGrowthIntoMinutesAndReportsBudgetAndBurnRates) {
  fold_at(0, 990, 10);    // minute 0: 1000 requests, 10 errors
  fold_at(0, 1980, 20);   // still minute 0: 1000 more, 10 more errors
  fold_at(10, 2980, 20);  // minute 10: 1000 requests, no errors
  auto status = tracker.status()[0];
  EXPECT_EQ(status.observed_minutes, 11);
  EXPECT_EQ(status.total, 3000U);
  EXPECT_EQ(status.bad, 20U);
  EXPECT_DOUBLE_EQ(*status.sli, 1.0 - 20.0 / 3000);
  // Budget: 1% of 3000 = 30 errors; 20 spent.
  EXPECT_NEAR(status.budget_remaining, 1.0 / 3, 1e-12);
  EXPECT_NEAR(status.budget_remaining_minutes, 14.4 / 3, 1e-9);
  // 5m: minutes 6..10, no errors; 1h and 6h: all of it, 20 / 3000 = 0.667% = 0.667x.
  EXPECT_DOUBLE_EQ(*status.burn_rates[0], 0.0);
  EXPECT_NEAR(*status.burn_rates[1], (20.0 / 3000) / 0.01, 1e-12);
  EXPECT_NEAR(*status.burn_rates[2], (20.0 / 3000) / 0.01, 1e-12);
}

TEST_F(SloTrackerTest, AnOverspentBudgetGoesBelowZero) {
  fold_at(0, 900, 100);
  auto status = tracker.status()[0];
  EXPECT_NEAR(status.budget_remaining, 1.0 - 100.0 / 10, 1e-12);  // 10x the budget spent
  EXPECT_NEAR(*status.burn_rates[0], 10.0, 1e-12);
}

TEST_F(SloTrackerTest, EventsOlderThanTheWindowNoLongerCount) {
  fold_at(0, 0, 100);
  fold_at(1440, 1000, 100);  // a day later: minute 0 is out of the 1-day window
  auto status = tracker.status()[0];
  EXPECT_EQ(status.total, 1000U);
  EXPECT_EQ(status.bad, 0U);
  EXPECT_EQ(status.observed_minutes, 1440);
}

TEST_F(SloTrackerTest, AnotherProcesssObjectiveSaysSoAndHasNoFigures) {
  fold_at(0, 990, 10);
  auto status = tracker.status()[1];
  EXPECT_FALSE(status.not_visible.empty());
  EXPECT_EQ(status.total, 0U);
  EXPECT_FALSE(status.sli);
  EXPECT_EQ(tracker.history(10).size(), 1U);  // only the visible one
}

TEST_F(SloTrackerTest, HistoryIsTheStatusAsItWasAtEachMinute) {
  double good = 0;
  double bad = 0;
  std::vector<ObjectiveStatus> at_each_minute;
  for (int minute = 0; minute < 90; ++minute) {
    good += 100;
    bad += minute % 7 == 0 ? 5 : 0;
    fold_at(minute, good, bad);
    at_each_minute.push_back(tracker.status()[0]);
  }
  auto history = tracker.history(60);
  ASSERT_EQ(history.size(), 1U);
  ASSERT_EQ(history[0].budget_remaining.size(), 60U);
  for (std::size_t i = 0; i < 60; ++i) {
    const auto& then = at_each_minute[30 + i];
    EXPECT_NEAR(history[0].budget_remaining[i], then.budget_remaining, 1e-12) << i;
    for (std::size_t w = 0; w < 3; ++w) {
      EXPECT_NEAR(*history[0].burn_rates[w][i], *then.burn_rates[w], 1e-12) << i << " " << w;
    }
  }
}

}  // namespace
}  // namespace sre::slo
