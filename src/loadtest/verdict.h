// The verdict of a run against the service level objectives of monitoring/slo.yaml: did the
// requests of this run meet the API's latency and availability targets? Pure, no I/O.
//
// The objectives are read with the same loader as `slo generate` (slo/slo_spec.h):
// - api-latency: the fraction of answered requests at or below the threshold of its `good`
//   selector (the bucket bound le="0.25": 250 ms) must reach its target;
// - api-availability: the fraction of requests that got an answer other than 5xx must reach
//   its target. A request with no answer at all (timeout, refused connection) counts as bad:
//   the server's own counters never see it, a user does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "slo/slo_spec.h"

namespace sre::loadtest {

class RunStats;

struct LatencyObjective {
  std::string name;
  double target = 0;
  std::uint64_t threshold_micros = 0;
};
struct AvailabilityObjective {
  std::string name;
  double target = 0;
};
struct Objectives {
  std::optional<LatencyObjective> latency;
  std::optional<AvailabilityObjective> availability;
};

inline constexpr std::string_view kLatencyObjective = "api-latency";
inline constexpr std::string_view kAvailabilityObjective = "api-availability";

// The two objectives of `spec`, or the reason they cannot be used (absent, or a latency
// objective whose `good` selector has no le="seconds" bound).
std::variant<Objectives, std::string> objectives_from(const slo::SloSpec& spec);

struct Judgement {
  std::string objective;  // "api-latency"
  std::string what;       // "answered within 250 ms"
  double target = 0;      // 0.99
  double measured = 0;    // fraction of good requests in this run
  std::uint64_t good = 0;
  std::uint64_t total = 0;
  bool met = false;
};

// One judgement per objective. A run with nothing to judge (no request answered, no request
// sent) fails its objectives: an empty run proves nothing.
std::vector<Judgement> judge(const Objectives& objectives, const RunStats& stats);

}  // namespace sre::loadtest
