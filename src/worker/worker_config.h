// What `sre-playground worker` is configured with: its health and metrics server
// (WORKER_PORT, 8002), the log level, the database it applies effects to (the API's), and its
// own settings, composed from their owners' rows.
#pragma once

#include <vector>

#include "core/config.h"
#include "core/log_options.h"
#include "http/server.h"
#include "store/store_options.h"
#include "worker/worker_options.h"

namespace sre::worker {

struct WorkerConfig {
  http::ServerOptions server{.port = 8002, .threads = 1};  // probes and scrapes only
  core::LogOptions log;
  store::StoreOptions store;
  WorkerOptions worker;
};

const std::vector<core::Setting<WorkerConfig>>& settings();

}  // namespace sre::worker
