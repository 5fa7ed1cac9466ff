// Renders the Prometheus rules file of the objectives (monitoring/prometheus/rules/slo.rules.yml):
// for each objective, the error ratio of its SLI recorded over every alert window and over its
// own window (the error budget's), and its burn-rate alerts (burn_rate_policy.h).
//
// Recorded series are named level:metric:operations and told apart by an `slo` label:
//   job_slo:sli_errors_per_events:ratio_rate5m{job, slo}
// The output is deterministic text, so the committed file can be compared with it.
//
// `time_scale` < 1 compresses every window for tests and demos (0.01: the series named
// ..._ratio_rate1h reads the last 36 s), so a burn-rate alert fires and resolves in seconds.
// Names and labels keep the nominal windows: dashboards and alert routing read the same.
#pragma once

#include <string>

#include "slo/slo_spec.h"

namespace sre::slo {

// Name of the recorded error ratio over `window` ("5m" -> ..._ratio_rate5m).
std::string error_ratio_record(std::string_view window);

std::string render_rules(const SloSpec& spec, double time_scale = 1.0);

// The PromQL range `window` ("1h") covers at `time_scale`: "1h" at 1, "36s" at 0.01.
std::string scaled_range(std::string_view window, double time_scale);

}  // namespace sre::slo
