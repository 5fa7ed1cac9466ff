// What `sre-playground worker` is configured with: its health and metrics server
// (WORKER_PORT, 8002), the log level, the database it applies effects to (the API's), its own
// settings, and the AWS settings (shared with the API), composed from their owners' rows.
#pragma once

#include <vector>

#include "aws/aws_options.h"
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
  aws::AwsOptions aws;  // ENABLE_SQS: consume the queue instead of the outbox table
};

const std::vector<core::Setting<WorkerConfig>>& settings();

}  // namespace sre::worker
