// The grade service's start-up faults (GRADE_ERROR_RATE, GRADE_LATENCY_MS,
// GRADE_LATENCY_JITTER_MS); PUT /admin/faults changes them while it runs.
#pragma once

#include <chrono>
#include <vector>

#include "core/config.h"

namespace sre::grade_service {

struct FaultOptions {
  double error_rate = 0.3;  // the seed's demo value
  std::chrono::milliseconds latency{0};
  std::chrono::milliseconds latency_jitter{0};
};

const std::vector<core::Setting<FaultOptions>>& fault_settings();

}  // namespace sre::grade_service
