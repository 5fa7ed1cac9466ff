// `sre-playground worker`: consumes student events (event_consumer.h) from the outbox table,
// or from SQS with ENABLE_SQS=true, and serves its health and metrics (worker_app.h) until
// SIGTERM/SIGINT; then it finishes the batch in hand and exits.
#pragma once

#include "worker/worker_config.h"

namespace sre::worker {

// The process exit code: 0 after a clean stop, 1 when it could not start.
int run_worker(const WorkerConfig& config);

}  // namespace sre::worker
