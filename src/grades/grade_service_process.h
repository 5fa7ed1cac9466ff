// `sre-playground grade-service`: runs the grade service (see grade_service.h) with the same
// HTTP server, middleware (request ids, metrics, JSON access logs) and shutdown signals as
// the API, until SIGTERM/SIGINT.
#pragma once

#include "core/config.h"

namespace sre::grades {

// The process exit code: 0 after a clean stop, 1 when it could not start.
int run_grade_service(const core::Config& config);

}  // namespace sre::grades
