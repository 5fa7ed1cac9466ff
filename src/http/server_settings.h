// The HTTP server's settings: the rows that fill http::ServerOptions (server.h) from the
// environment and flags. Every program that serves HTTP composes them.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "http/server.h"

namespace sre::http {

// HOST, PORT, WORKER_THREADS, the size limits and the timeouts. `port_help` says whose port
// it is ("TCP port of the API").
std::vector<core::Setting<ServerOptions>> server_settings(std::string port_help);

// The I/O threads `options` asks for: WORKER_THREADS, or one per CPU core when it is 0.
unsigned io_thread_count(const ServerOptions& options);

}  // namespace sre::http
