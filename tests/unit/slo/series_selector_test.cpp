// PromQL selectors as the objectives write them: parsed once, matched like Prometheus does
// (anchored regexes, a missing label is "").
#include "slo/series_selector.h"

#include <gtest/gtest.h>

namespace sre::slo {
namespace {

SeriesSelector parsed(std::string_view text) {
  std::string error;
  auto selector = SeriesSelector::parse(text, error);
  EXPECT_TRUE(selector) << text << ": " << error;
  return selector ? std::move(*selector) : SeriesSelector{};
}

TEST(SeriesSelector, MatchesEachOperator) {
  auto selector = parsed(
      R"(http_requests_total{job="api", route!~"/health.*|/metrics", status=~"5..", method!="HEAD"})");
  EXPECT_EQ(selector.metric(), "http_requests_total");
  const SeriesLabels base{
      {"job", "api"}, {"route", "/api/v1/students"}, {"status", "503"}, {"method", "GET"}};
  EXPECT_TRUE(selector.matches("http_requests_total", base));
  EXPECT_FALSE(selector.matches("http_requests", base));
  auto with = [&base](std::string_view label, std::string_view value) {
    SeriesLabels labels = base;
    for (auto& pair : labels) {
      if (pair.first == label) {
        pair.second = value;
      }
    }
    return labels;
  };
  EXPECT_FALSE(selector.matches("http_requests_total", with("job", "worker")));          // =
  EXPECT_FALSE(selector.matches("http_requests_total", with("route", "/health/live")));  // !~
  EXPECT_FALSE(selector.matches("http_requests_total", with("status", "200")));          // =~
  EXPECT_FALSE(selector.matches("http_requests_total", with("method", "HEAD")));         // !=
}

TEST(SeriesSelector, RegexesAreAnchoredAndMissingLabelsAreEmpty) {
  auto selector = parsed(R"(x{status=~"5..", source=~"fresh|last_known"})");
  EXPECT_FALSE(selector.matches("x", {{"status", "1500"}, {"source", "fresh"}}));
  EXPECT_FALSE(selector.matches("x", {{"status", "500"}, {"source", "not_fresh"}}));
  EXPECT_TRUE(selector.matches("x", {{"status", "500"}, {"source", "last_known"}}));
  EXPECT_FALSE(selector.matches("x", {{"source", "fresh"}}));  // status "" is not 5..
  EXPECT_TRUE(parsed(R"(x{absent=""})").matches("x", {}));
  EXPECT_TRUE(parsed(R"(x{absent!~".+"})").matches("x", {}));
}

TEST(SeriesSelector, ReadsBareNamesTrailingCommasAndEscapes) {
  EXPECT_TRUE(parsed("up").matches("up", {{"job", "any"}}));
  EXPECT_TRUE(parsed("up{}").matches("up", {}));
  EXPECT_TRUE(parsed(R"( up { job = "a" , } )").matches("up", {{"job", "a"}}));
  EXPECT_TRUE(parsed(R"(up{path="say \"hi\""})").matches("up", {{"path", R"(say "hi")"}}));
}

TEST(SeriesSelector, RefusesWhatItCannotRead) {
  for (const char* text :
       {"", "{job=\"a\"}", "up{job}", "up{job=a}", "up{job=\"a\"", "up{job==\"a\"}",
        "up{job=\"a\" route=\"b\"}", "up{job=~\"(\"}", "up[5m]", "sum(up)"}) {
    std::string error;
    EXPECT_FALSE(SeriesSelector::parse(text, error)) << text;
    EXPECT_FALSE(error.empty()) << text;
  }
}

}  // namespace
}  // namespace sre::slo
