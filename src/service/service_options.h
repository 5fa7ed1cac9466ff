// The settings of the server skeleton every program shares: how many access log lines to
// write (ACCESS_LOG_SAMPLE_RATE) and how to shut down gracefully (SHUTDOWN_*).
#pragma once

#include <chrono>
#include <vector>

#include "core/config.h"

namespace sre::service {

struct ServiceOptions {
  double access_log_sample_rate = 1.0;  // successful requests; 4xx and 5xx are always logged
  // After SIGTERM: keep serving (not ready) this long, then wait at most this long.
  std::chrono::seconds shutdown_delay{5};
  std::chrono::seconds shutdown_timeout{25};
};

const std::vector<core::Setting<ServiceOptions>>& settings();

}  // namespace sre::service
