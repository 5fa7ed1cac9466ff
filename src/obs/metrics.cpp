#include "obs/metrics.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <sstream>

#include "core/build_info.h"
#include "core/log.h"
#include "obs/process_collector.h"

namespace sre::obs {

Metrics::Metrics(std::string_view service) : registry_(std::make_shared<prometheus::Registry>()) {
  dependency_unavailable_ = &prometheus::BuildCounter()
                                 .Name("dependency_unavailable_total")
                                 .Help("Requests failed with 503 because a dependency was down")
                                 .Register(*registry_);
  log_dropped_ = &prometheus::BuildCounter()
                      .Name("log_messages_dropped_total")
                      .Help("Log lines dropped because the log queue was full")
                      .Register(*registry_)
                      .Add({});
  prometheus::BuildGauge()
      .Name("sre_playground_build_info")
      .Help("Build information; the value is always 1")
      .Register(*registry_)
      .Add({{"version", std::string(core::version())},
            {"commit", std::string(core::git_commit())},
            {"service", std::string(service)}})
      .Set(1);
  collectables_ = {registry_, std::make_shared<ProcessCollector>()};
}

void Metrics::track_http_routes(std::vector<std::string> routes, unsigned io_threads) {
  http_ = std::make_shared<HttpMetrics>(std::move(routes), io_threads);
  collectables_.push_back(http_);
}

std::string Metrics::render() const {
  // The log queue counts its own drops; mirror that count into our counter at scrape time.
  double dropped = static_cast<double>(log::dropped_lines());
  if (dropped > log_dropped_->Value()) {
    log_dropped_->Increment(dropped - log_dropped_->Value());
  }
  // Several collectables may each hold part of one family (the relay's delivery age, one per
  // destination): merged into one family, because a second HELP/TYPE for a name is invalid
  // text format (strict parsers such as `promtool check metrics` reject the whole scrape).
  std::vector<prometheus::MetricFamily> families;
  for (const auto& collectable : collectables_) {
    for (auto& family : collectable->Collect()) {
      auto same = std::find_if(families.begin(), families.end(),
                               [&family](const auto& seen) { return seen.name == family.name; });
      if (same == families.end()) {
        families.push_back(std::move(family));
      } else {
        same->metric.insert(same->metric.end(), std::make_move_iterator(family.metric.begin()),
                            std::make_move_iterator(family.metric.end()));
      }
    }
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace sre::obs
