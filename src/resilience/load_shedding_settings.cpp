#include "resilience/load_shedding_settings.h"

namespace sre::resilience {

const std::vector<core::Setting<LoadShedderOptions>>& load_shedding_settings() {
  using core::setting;
  static const std::vector<core::Setting<LoadShedderOptions>> rows{
      setting("MAX_IN_FLIGHT", &LoadShedderOptions::max_in_flight,
              core::integer_in<int>(0, 10'000'000),
              "Load shedding: requests in progress per process (0 = no bound)"),
      setting("MAX_QUEUE_DELAY_MS", &LoadShedderOptions::max_queue_delay,
              core::duration_in<std::chrono::milliseconds>(0, 600'000),
              "Load shedding: while requests keep waiting longer than this before being handled, "
              "those that do get 503 (0 = no bound)"),
  };
  return rows;
}

}  // namespace sre::resilience
