// An objective's SLI read from the process's own metric families, as Prometheus would read a
// scrape of it; and the objectives this process cannot see, said so.
#include "slo/objective_counter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "slo/families.h"

namespace sre::slo {
namespace {

using prometheus::MetricType;
using testing::counter;
using testing::family;
using testing::histogram;

const TargetLabels kApi{{"job", "sre-playground"}};
const std::vector<double> kBounds{0.1, 0.25, 1.0};

Objective objective(std::string total, std::string errors, std::string good) {
  Objective o;
  o.name = "test";
  o.target = 0.99;
  o.total = std::move(total);
  o.errors = std::move(errors);
  o.good = std::move(good);
  return o;
}

std::vector<prometheus::MetricFamily> scrape() {
  return {
      family("http_requests_total", MetricType::Counter,
             {counter({{"route", "/api/v1/students"}, {"status", "200"}}, 90),
              counter({{"route", "/api/v1/students"}, {"status", "503"}}, 4),
              counter({{"route", "/health/live"}, {"status", "503"}}, 50),
              counter({{"route", "unmatched"}, {"status", "404"}}, 6)}),
      family("http_request_duration_seconds", MetricType::Histogram,
             {histogram({{"route", "/api/v1/students"}}, kBounds, {80, 10, 3, 1}),
              histogram({{"route", "/health/live"}}, kBounds, {50, 0, 0, 0})}),
  };
}

TEST(ObjectiveCounter, SumsTheSelectedCountersOfAnErrorsSli) {
  ObjectiveCounter availability(
      objective(R"(http_requests_total{job="sre-playground", route!~"/health.*"})",
                R"(http_requests_total{job="sre-playground", route!~"/health.*", status=~"5.."})",
                ""),
      kApi);
  ASSERT_EQ(availability.not_visible(), "");
  auto counts = availability.read(scrape());
  EXPECT_DOUBLE_EQ(counts.total, 100);
  EXPECT_DOUBLE_EQ(counts.bad, 4);
}

TEST(ObjectiveCounter, ReadsAHistogramsBucketAndCountForAGoodSli) {
  ObjectiveCounter latency(
      objective(R"(http_request_duration_seconds_count{route!~"/health.*"})", "",
                R"(http_request_duration_seconds_bucket{route!~"/health.*", le="0.25"})"),
      kApi);
  auto counts = latency.read(scrape());
  EXPECT_DOUBLE_EQ(counts.total, 94);
  EXPECT_DOUBLE_EQ(counts.bad, 4);  // 94 - (80 + 10) within 250 ms
}

TEST(ObjectiveCounter, AnotherJobsObjectiveIsNotVisibleAndReadsNothing) {
  ObjectiveCounter freshness(
      objective(R"(worker_event_lag_seconds_count{job="sre-playground-worker"})", "",
                R"(worker_event_lag_seconds_bucket{job="sre-playground-worker", le="60"})"),
      kApi);
  EXPECT_NE(freshness.not_visible().find(R"(job="sre-playground-worker")"), std::string::npos)
      << freshness.not_visible();
  auto counts = freshness.read(scrape());
  EXPECT_EQ(counts.total, 0);
}

TEST(ObjectiveCounter, TheDeclaredObjectivesAreReadableAndTheApiSeesAllButEventFreshness) {
  std::ifstream file(std::string(SRE_SOURCE_DIR) + "/monitoring/slo.yaml");
  std::stringstream text;
  text << file.rdbuf();
  auto result = parse_slo_spec(text.str());
  ASSERT_TRUE(result.spec) << result.error;
  for (const auto& o : result.spec->objectives) {
    ObjectiveCounter counter(o, kApi);
    EXPECT_EQ(counter.not_visible().empty(), o.name != "event-freshness")
        << o.name << ": " << counter.not_visible();
    ObjectiveCounter from_worker(o, {{"job", "sre-playground-worker"}});
    EXPECT_EQ(from_worker.not_visible().empty(), o.name == "event-freshness") << o.name;
  }
}

}  // namespace
}  // namespace sre::slo
