#include "grade_service/grade_service_options.h"

namespace sre::grade_service {

const std::vector<core::Setting<FaultOptions>>& fault_settings() {
  using core::setting;
  using std::chrono::milliseconds;
  static const std::vector<core::Setting<FaultOptions>> rows{
      setting("GRADE_ERROR_RATE", &FaultOptions::error_rate, core::number_in(0, 1),
              "Fraction of grade requests answered 500 at start (PUT /admin/faults changes it)"),
      setting("GRADE_LATENCY_MS", &FaultOptions::latency,
              core::duration_in<milliseconds>(0, 600'000),
              "Latency added to every grade answer at start"),
      setting("GRADE_LATENCY_JITTER_MS", &FaultOptions::latency_jitter,
              core::duration_in<milliseconds>(0, 600'000), "Random extra latency 0..this at start"),
  };
  return rows;
}

}  // namespace sre::grade_service
