#include "service/service_options.h"

namespace sre::service {

const std::vector<core::Setting<ServiceOptions>>& settings() {
  using core::setting;
  using std::chrono::seconds;
  static const std::vector<core::Setting<ServiceOptions>> rows{
      setting("ACCESS_LOG_SAMPLE_RATE", &ServiceOptions::access_log_sample_rate,
              core::number_in(0, 1),
              "Fraction (0..1) of successful requests that get an access log line; 4xx/5xx "
              "always do"),
      setting("SHUTDOWN_DELAY_SECONDS", &ServiceOptions::shutdown_delay,
              core::duration_in<seconds>(0, 3600),
              "After SIGTERM, keep serving (not ready) this long so load balancers stop sending"),
      setting("SHUTDOWN_TIMEOUT_SECONDS", &ServiceOptions::shutdown_timeout,
              core::duration_in<seconds>(0, 3600),
              "Then wait at most this long for in-flight requests"),
  };
  return rows;
}

}  // namespace sre::service
