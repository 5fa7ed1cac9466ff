// `sre-playground serve`: runs the REST API until SIGTERM/SIGINT, then shuts down gracefully.
#pragma once

#include "api/serve_config.h"

namespace sre::api {

// Returns the process exit code: 0 after a clean shutdown, 1 when startup failed.
int serve(const ServeConfig& config);

}  // namespace sre::api
