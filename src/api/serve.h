// `sre-playground serve`: runs the REST API until SIGTERM/SIGINT, then shuts down gracefully.
#pragma once

#include "core/config.h"
#include "http/server.h"

namespace sre::api {

// Returns the process exit code: 0 after a clean shutdown, 1 when startup failed.
int serve(const core::Config& config);

// WORKER_THREADS, or one I/O thread per core when it is 0.
unsigned io_thread_count(const core::Config& config);
// The HTTP server settings (address, threads, limits, timeouts) from the configuration.
http::ServerOptions server_options(const core::Config& config, unsigned threads);

}  // namespace sre::api
