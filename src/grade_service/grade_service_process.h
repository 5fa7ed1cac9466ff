// `sre-playground grade-service`: runs the grade service (see grade_service.h) on the same
// server skeleton as the API (service/http_app.h: request ids, metrics, JSON access logs,
// the exception boundary), until SIGTERM/SIGINT.
#pragma once

#include "grade_service/grade_service_config.h"

namespace sre::grade_service {

// The process exit code: 0 after a clean stop, 1 when it could not start.
int run_grade_service(const GradeServiceConfig& config);

}  // namespace sre::grade_service
