#include "grade_service/grade_service_config.h"

#include "http/server_settings.h"

namespace sre::grade_service {

const std::vector<core::Setting<GradeServiceConfig>>& settings() {
  using core::nest;
  static const std::vector<core::Setting<GradeServiceConfig>> rows =
      core::concat<GradeServiceConfig>({
          nest(&GradeServiceConfig::server, http::server_settings("TCP port of the grade service")),
          nest(&GradeServiceConfig::log, core::log_settings()),
          nest(&GradeServiceConfig::faults, fault_settings()),
      });
  return rows;
}

}  // namespace sre::grade_service
