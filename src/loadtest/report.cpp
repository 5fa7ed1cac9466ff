#include "loadtest/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace sre::loadtest {

namespace {

struct Percentile {
  const char* name;
  double percent;
};
constexpr std::array<Percentile, 5> kPercentiles = {
    {{"p50", 50.0}, {"p90", 90.0}, {"p99", 99.0}, {"p99.9", 99.9}, {"max", 100.0}}};

double ms(std::uint64_t micros) {
  return static_cast<double>(micros) / 1e3;
}

double per_second(std::uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
}

}  // namespace

std::string progress_line(const RunStats& so_far, std::uint64_t recent, double interval_seconds,
                          double elapsed_seconds, std::optional<double> seconds_left) {
  const auto& latency = so_far.latency();
  std::string line =
      fmt::format("{:6.1f}s {:9.0f} req/s  errors {}  p50 {:.2f} ms  p99 {:.2f} ms",
                  elapsed_seconds, per_second(recent, interval_seconds), so_far.errors(),
                  ms(latency.value_at_percentile(50)), ms(latency.value_at_percentile(99)));
  if (seconds_left) {
    line += fmt::format("  {:.0f}s left", std::max(0.0, *seconds_left));
  }
  return line;
}

bool verdict_met(const std::vector<Judgement>& verdict) {
  return std::all_of(verdict.begin(), verdict.end(), [](const auto& j) { return j.met; });
}

std::string text_report(const RunDescription& run, const RunStats& stats, double elapsed_seconds,
                        const std::vector<Judgement>& verdict) {
  const auto& latency = stats.latency();
  std::string out = fmt::format("target      {}\nworkload    {}\n", run.target, run.workload);
  out += fmt::format("mode        {} loop, {} connections, {} threads", run.mode, run.connections,
                     run.threads);
  if (run.rate) {
    out += fmt::format(", {:g} req/s offered (latency from each request's due time)", *run.rate);
  }
  out += fmt::format("\nrequests    {} answered, {} without answer, in {:.2f}s: {:.1f} req/s\n",
                     stats.answers(), stats.failures(), elapsed_seconds,
                     per_second(stats.answers(), elapsed_seconds));
  out += "latency    ";
  for (const auto& p : kPercentiles) {
    out += fmt::format(" {} {:.2f} ms", p.name, ms(latency.value_at_percentile(p.percent)));
  }
  out += fmt::format("  (mean {:.2f} ms)\nstatuses   ", latency.mean() / 1e3);
  for (int status = 0; status < RunStats::kStatusCodes; ++status) {
    if (auto n = stats.with_status(status); n != 0) {
      out += fmt::format(" {}: {}", status == 0 ? std::string("other") : std::to_string(status), n);
    }
  }
  for (std::size_t f = 0; f < kFailures; ++f) {
    const auto failure = static_cast<Failure>(f);
    if (auto n = stats.failures(failure); n != 0) {
      out += fmt::format(" {}: {}", name_of(failure), n);
    }
  }
  out += "\n";
  if (verdict.empty()) {
    out += "verdict     none (no objectives: SLO_FILE is empty)\n";
    return out;
  }
  for (const auto& j : verdict) {
    out += fmt::format("{:<11} {}: {:.3f}% {} ({} of {}), objective {:g}%\n",
                       j.met ? "met" : "BREACHED", j.objective, 100.0 * j.measured, j.what, j.good,
                       j.total, 100.0 * j.target);
  }
  out += verdict_met(verdict) ? "verdict     every objective met\n"
                              : "verdict     objective breached (exit 1)\n";
  return out;
}

boost::json::object json_report(const RunDescription& run, const RunStats& stats,
                                double elapsed_seconds, const std::vector<Judgement>& verdict) {
  const auto& latency = stats.latency();
  boost::json::object latency_ms;
  for (const auto& p : kPercentiles) {
    latency_ms[p.name] = ms(latency.value_at_percentile(p.percent));
  }
  latency_ms["mean"] = latency.mean() / 1e3;
  latency_ms["min"] = ms(latency.min());
  boost::json::object statuses;
  for (int status = 0; status < RunStats::kStatusCodes; ++status) {
    if (auto n = stats.with_status(status); n != 0) {
      statuses[status == 0 ? std::string("other") : std::to_string(status)] = n;
    }
  }
  boost::json::object failures;
  for (std::size_t f = 0; f < kFailures; ++f) {
    const auto failure = static_cast<Failure>(f);
    failures[name_of(failure)] = stats.failures(failure);
  }
  boost::json::array judgements;
  for (const auto& j : verdict) {
    judgements.push_back({{"objective", j.objective},
                          {"what", j.what},
                          {"target", j.target},
                          {"measured", j.measured},
                          {"good", j.good},
                          {"total", j.total},
                          {"met", j.met}});
  }
  boost::json::object out{
      {"target", run.target},
      {"workload", run.workload},
      {"mode", run.mode},
      {"connections", run.connections},
      {"threads", run.threads},
      {"requests", stats.answers() + stats.failures()},
      {"answered", stats.answers()},
      {"errors", stats.errors()},
      {"duration_s", elapsed_seconds},
      {"throughput_rps", per_second(stats.answers(), elapsed_seconds)},
      {"latency_ms", std::move(latency_ms)},
      {"statuses", std::move(statuses)},
      {"failures", std::move(failures)},
      {"verdict", std::move(judgements)},
      {"objectives_met", verdict_met(verdict)},
  };
  if (run.rate) {
    out["rate"] = *run.rate;
  }
  return out;
}

}  // namespace sre::loadtest
