// The log's one setting, LOG_LEVEL: how much every program writes (core/log.h).
#pragma once

#include <string>
#include <vector>

#include "core/config.h"

namespace sre::core {

struct LogOptions {
  std::string level = "info";  // trace, debug, info, warn or error
};

const std::vector<Setting<LogOptions>>& log_settings();

}  // namespace sre::core
