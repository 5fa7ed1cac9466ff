// Load shedding's settings (MAX_IN_FLIGHT, MAX_QUEUE_DELAY_MS): the rows that fill
// LoadShedderOptions (load_shedder.h). The thread count is the program's, not a setting.
#pragma once

#include <vector>

#include "core/config.h"
#include "resilience/load_shedder.h"

namespace sre::resilience {

const std::vector<core::Setting<LoadShedderOptions>>& load_shedding_settings();

}  // namespace sre::resilience
