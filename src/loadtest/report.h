// What a run prints: the progress line while it runs, and at the end the report (latency
// percentiles, statuses, throughput, the verdict) as text for people or JSON for machines.
// Pure formatting of counts that were already taken.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loadtest/run_stats.h"
#include "loadtest/verdict.h"

namespace sre::loadtest {

struct RunDescription {
  std::string target;    // http://127.0.0.1:8000
  std::string workload;  // "GET /health/live" or "read 70%, list 10%, ..."
  std::string mode;      // closed | open
  unsigned connections = 0;
  unsigned threads = 0;
  std::optional<double> rate;  // open loop
};

// "  5.0s  1234 req/s  errors 0  p50 1.20 ms  p99 4.50 ms  5.0s left": `recent` is the
// number of requests (answered or failed) in the last `interval_seconds`.
std::string progress_line(const RunStats& so_far, std::uint64_t recent, double interval_seconds,
                          double elapsed_seconds, std::optional<double> seconds_left);

std::string text_report(const RunDescription& run, const RunStats& stats, double elapsed_seconds,
                        const std::vector<Judgement>& verdict);
boost::json::object json_report(const RunDescription& run, const RunStats& stats,
                                double elapsed_seconds, const std::vector<Judgement>& verdict);

// Whether every objective was met (true when there were none).
bool verdict_met(const std::vector<Judgement>& verdict);

}  // namespace sre::loadtest
