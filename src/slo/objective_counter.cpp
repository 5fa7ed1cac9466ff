#include "slo/objective_counter.h"

#include <charconv>
#include <cmath>

namespace sre::slo {

namespace {

std::optional<SeriesSelector> parse_or_explain(const std::string& text, std::string& why) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::string error;
  auto selector = SeriesSelector::parse(text, error);
  if (!selector && why.empty()) {
    why = "its SLI selector cannot be evaluated here (" + error + "): " + text;
  }
  return selector;
}

// Why `selector` selects nothing of a process with these target labels, or "".
std::string ruled_out_by(const SeriesSelector& selector, const TargetLabels& target) {
  for (const auto& matcher : selector.matchers()) {
    for (const auto& [label, value] : target) {
      if (matcher.label == label && !matcher.matches(value)) {
        std::string why = "counted by another process: its SLI selects ";
        why.append(label).append("=\"").append(matcher.value);
        why.append("\", and this process is ").append(label).append("=\"").append(value);
        why.append("\"; Prometheus has the fleet-wide figures");
        return why;
      }
    }
  }
  return {};
}

// The `le` label of a bucket bound as Prometheus writes it: 0.25, 60, +Inf.
std::string bound_label(double bound) {
  if (std::isinf(bound)) {
    return "+Inf";
  }
  char text[32];
  auto [end, error] = std::to_chars(std::begin(text), std::end(text), bound);
  return error == std::errc{} ? std::string(text, end) : std::string();
}

}  // namespace

ObjectiveCounter::ObjectiveCounter(const Objective& objective, TargetLabels target)
    : target_(std::move(target)) {
  total_ = parse_or_explain(objective.total, not_visible_);
  errors_ = parse_or_explain(objective.errors, not_visible_);
  good_ = parse_or_explain(objective.good, not_visible_);
  if (!not_visible_.empty()) {
    return;
  }
  for (const auto* selector : {&total_, &errors_, &good_}) {
    if (*selector && not_visible_.empty()) {
      not_visible_ = ruled_out_by(**selector, target_);
    }
  }
}

SliCounts ObjectiveCounter::read(const std::vector<prometheus::MetricFamily>& families) const {
  if (!not_visible_.empty() || !total_) {
    return {};
  }
  SliCounts counts;
  counts.total = sum(*total_, families);
  if (errors_) {
    counts.bad = sum(*errors_, families);
  } else if (good_) {
    counts.bad = std::max(0.0, counts.total - sum(*good_, families));
  }
  return counts;
}

double ObjectiveCounter::sum(const SeriesSelector& selector,
                             const std::vector<prometheus::MetricFamily>& families) const {
  double total = 0;
  SeriesLabels labels;
  const std::string& wanted = selector.metric();
  for (const auto& family : families) {
    if (!wanted.starts_with(family.name)) {
      continue;  // neither the family's name nor one of its histogram series
    }
    for (const auto& metric : family.metric) {
      labels.clear();
      for (const auto& [name, value] : target_) {
        labels.emplace_back(name, value);
      }
      for (const auto& label : metric.label) {
        labels.emplace_back(label.name, label.value);
      }
      switch (family.type) {
        case prometheus::MetricType::Counter:
          total += selector.matches(family.name, labels) ? metric.counter.value : 0;
          break;
        case prometheus::MetricType::Gauge:
          total += selector.matches(family.name, labels) ? metric.gauge.value : 0;
          break;
        case prometheus::MetricType::Untyped:
          total += selector.matches(family.name, labels) ? metric.untyped.value : 0;
          break;
        case prometheus::MetricType::Histogram: {
          const auto& histogram = metric.histogram;
          if (selector.matches(family.name + "_count", labels)) {
            total += static_cast<double>(histogram.sample_count);
          } else if (selector.matches(family.name + "_sum", labels)) {
            total += histogram.sample_sum;
          } else if (wanted == family.name + "_bucket") {
            for (const auto& bucket : histogram.bucket) {
              const std::string le = bound_label(bucket.upper_bound);
              labels.emplace_back("le", le);
              total += selector.matches(wanted, labels)
                           ? static_cast<double>(bucket.cumulative_count)
                           : 0;
              labels.pop_back();
            }
          }
          break;
        }
        default:
          break;  // summaries: no objective reads them
      }
    }
  }
  return total;
}

}  // namespace sre::slo
