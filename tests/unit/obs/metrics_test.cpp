#include "obs/metrics.h"

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>

#include <memory>
#include <string>

namespace sre::obs {
namespace {

// One series of the family "part_of_a_family", as a component collecting its own part.
class Part : public prometheus::Collectable {
 public:
  explicit Part(std::string label) : label_(std::move(label)) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::ClientMetric metric;
    metric.label = {{"part", label_}};
    metric.gauge.value = 1;
    return {prometheus::MetricFamily{"part_of_a_family",
                                     "A family collected in two parts",
                                     prometheus::MetricType::Gauge,
                                     {metric}}};
  }

 private:
  std::string label_;
};

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(Metrics, AFamilyCollectedInPartsIsRenderedOnce) {
  Metrics metrics("test");
  metrics.add_collectable(std::make_shared<Part>("sqs"));
  metrics.add_collectable(std::make_shared<Part>("dynamodb"));
  auto text = metrics.render();
  EXPECT_EQ(occurrences(text, "# HELP part_of_a_family "), 1U) << text;
  EXPECT_EQ(occurrences(text, "# TYPE part_of_a_family gauge"), 1U) << text;
  EXPECT_NE(text.find("part_of_a_family{part=\"sqs\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("part_of_a_family{part=\"dynamodb\"} 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace sre::obs
