#include "loadtest/verdict.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "loadtest/run_stats.h"

namespace sre::loadtest {

namespace {

const slo::Objective* find(const slo::SloSpec& spec, std::string_view name) {
  for (const auto& objective : spec.objectives) {
    if (objective.name == name) {
      return &objective;
    }
  }
  return nullptr;
}

// The seconds of the first le="..." in a selector: 'le="0.25"' -> 0.25.
std::optional<double> bucket_bound(std::string_view selector) {
  constexpr std::string_view kLe = "le=\"";
  const auto at = selector.find(kLe);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  const auto* begin = selector.data() + at + kLe.size();
  const auto* end = selector.data() + selector.size();
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(begin, end, seconds);
  if (ec != std::errc() || ptr == end || *ptr != '"' || !(seconds > 0)) {
    return std::nullopt;
  }
  return seconds;
}

Judgement judged(std::string objective, std::string what, double target, std::uint64_t good,
                 std::uint64_t total) {
  const double measured = total == 0 ? 0.0 : static_cast<double>(good) / static_cast<double>(total);
  return {std::move(objective),
          std::move(what),
          target,
          measured,
          good,
          total,
          total != 0 && measured >= target};
}

}  // namespace

std::variant<Objectives, std::string> objectives_from(const slo::SloSpec& spec) {
  Objectives objectives;
  const auto* latency = find(spec, kLatencyObjective);
  const auto* availability = find(spec, kAvailabilityObjective);
  if (latency == nullptr || availability == nullptr) {
    return fmt::format("no objective named {} or {}", kLatencyObjective, kAvailabilityObjective);
  }
  auto seconds = bucket_bound(latency->good);
  if (!seconds) {
    return fmt::format("objective {}: its good selector has no le=\"seconds\" bound",
                       latency->name);
  }
  objectives.latency = LatencyObjective{latency->name, latency->target,
                                        static_cast<std::uint64_t>(std::llround(*seconds * 1e6))};
  objectives.availability = AvailabilityObjective{availability->name, availability->target};
  return objectives;
}

std::vector<Judgement> judge(const Objectives& objectives, const RunStats& stats) {
  std::vector<Judgement> out;
  if (const auto& latency = objectives.latency) {
    out.push_back(judged(latency->name,
                         fmt::format("answered within {:g} ms",
                                     static_cast<double>(latency->threshold_micros) / 1e3),
                         latency->target,
                         stats.latency().count_at_or_below(latency->threshold_micros),
                         stats.latency().count()));
  }
  if (const auto& availability = objectives.availability) {
    const auto total = stats.answers() + stats.failures();
    out.push_back(judged(availability->name, "answered, and not with a 5xx", availability->target,
                         total - stats.errors(), total));
  }
  return out;
}

}  // namespace sre::loadtest
