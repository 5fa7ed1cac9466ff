// Reads an objective's SLI counters (its `total` and `errors` or `good` selectors) from the
// metric families this process exposes on /metrics, as Prometheus would from a scrape of it:
// the sum of every selected series. Histograms are read as Prometheus sees them: name_bucket
// with an `le` label, name_count and name_sum.
//
// The labels Prometheus adds to every series of a target (`job`, from the scrape
// configuration) are not in the process's own families: the counter is given them. An
// objective whose selectors rule out this process's target labels (event freshness is
// counted by the worker, job="sre-playground-worker") is not visible from here: it is built
// anyway and says why in not_visible(), and reading it gives nothing.
#pragma once

#include <prometheus/metric_family.h>

#include <optional>
#include <string>
#include <vector>

#include "slo/series_selector.h"
#include "slo/slo_spec.h"

namespace sre::slo {

// Labels of this process as a scrape target, e.g. {{"job", "sre-playground"}}.
using TargetLabels = std::vector<std::pair<std::string, std::string>>;

// Cumulative counts since the process started.
struct SliCounts {
  double total = 0;
  double bad = 0;
};

class ObjectiveCounter {
 public:
  ObjectiveCounter(const Objective& objective, TargetLabels target);

  // Empty when this process counts the objective's events; otherwise why it cannot.
  const std::string& not_visible() const { return not_visible_; }

  SliCounts read(const std::vector<prometheus::MetricFamily>& families) const;

 private:
  double sum(const SeriesSelector& selector,
             const std::vector<prometheus::MetricFamily>& families) const;

  TargetLabels target_;
  std::optional<SeriesSelector> total_;
  std::optional<SeriesSelector> errors_;  // one of errors_ and good_
  std::optional<SeriesSelector> good_;
  std::string not_visible_;
};

}  // namespace sre::slo
