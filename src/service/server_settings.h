// The HTTP server's settings as every program reads them from its configuration.
#pragma once

#include "core/config.h"
#include "http/server.h"

namespace sre::service {

// WORKER_THREADS, or one I/O thread per core when it is 0.
unsigned io_thread_count(const core::Config& config);
// The HTTP server settings (address, threads, limits, timeouts) from the configuration.
http::ServerOptions server_options(const core::Config& config, unsigned threads);

}  // namespace sre::service
