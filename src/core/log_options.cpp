#include "core/log_options.h"

namespace sre::core {

const std::vector<Setting<LogOptions>>& log_settings() {
  static const std::vector<Setting<LogOptions>> rows{
      setting("LOG_LEVEL", &LogOptions::level, one_of({"trace", "debug", "info", "warn", "error"}),
              "trace, debug, info, warn or error"),
  };
  return rows;
}

}  // namespace sre::core
