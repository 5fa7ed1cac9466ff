// What `sre-playground grade-service` is configured with: the HTTP server (PORT defaults to
// 8001 here, HOST to loopback: its PUT /admin/faults has no authentication, so it is reachable
// from other hosts only when HOST says so), the log level and its start-up faults, composed
// from their owners' rows.
#pragma once

#include <vector>

#include "core/config.h"
#include "core/log_options.h"
#include "grade_service/grade_service_options.h"
#include "http/server.h"

namespace sre::grade_service {

struct GradeServiceConfig {
  http::ServerOptions server{.host = "127.0.0.1", .port = 8001};
  core::LogOptions log;
  FaultOptions faults;
};

const std::vector<core::Setting<GradeServiceConfig>>& settings();

}  // namespace sre::grade_service
