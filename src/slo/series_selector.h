// One PromQL instant-vector selector, as the objectives of monitoring/slo.yaml write their SLIs:
// a metric name and label matchers,
//
//   http_requests_total{job="sre-playground", route!~"/health.*|/metrics", status=~"5.."}
//
// with the four PromQL operators (=, !=, =~, !~). Regular expressions are anchored at both
// ends, as in PromQL (std::regex ECMAScript stands in for RE2: the same for the simple
// alternations and classes the objectives use). A label a series does not have matches as "".
//
// It lets the service evaluate an objective's SLI on its own counters, from the same text
// Prometheus evaluates (slo/objective_counter.h). Parsing happens once, at start-up; matching
// allocates nothing.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sre::slo {

// A series' labels: (name, value) pairs, in any order.
using SeriesLabels = std::vector<std::pair<std::string_view, std::string_view>>;

struct LabelMatcher {
  enum class Op : std::uint8_t { equal, not_equal, regex, not_regex };
  std::string label;
  Op op = Op::equal;
  std::string value;
  std::regex pattern;  // for regex and not_regex

  bool matches(std::string_view actual) const;
};

class SeriesSelector {
 public:
  // nullopt, with what is wrong in `error`, for text that is not a selector of this form.
  static std::optional<SeriesSelector> parse(std::string_view text, std::string& error);

  const std::string& metric() const { return metric_; }
  const std::vector<LabelMatcher>& matchers() const { return matchers_; }

  // Whether the series `metric`{labels} is selected.
  bool matches(std::string_view metric, const SeriesLabels& labels) const;

 private:
  std::string metric_;
  std::vector<LabelMatcher> matchers_;
};

}  // namespace sre::slo
