#include "worker/worker_options.h"

namespace sre::worker {

const std::vector<core::Setting<WorkerOptions>>& worker_settings() {
  using core::setting;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  static const std::vector<core::Setting<WorkerOptions>> rows{
      setting("WORKER_BATCH_SIZE", &WorkerOptions::batch_size, core::integer_in<int>(1, 10),
              "Events received and applied per batch"),
      setting("WORKER_VISIBILITY_TIMEOUT_SECONDS", &WorkerOptions::visibility_timeout,
              core::duration_in<seconds>(2, 43200),
              "A received event is hidden from other consumers this long (SQS visibility "
              "timeout, outbox lease); renewed for a batch still in hand at half of it"),
      setting("WORKER_POLL_INTERVAL_MS", &WorkerOptions::poll_interval,
              core::duration_in<milliseconds>(10, 60000),
              "Without SQS: wait this long after finding no pending event in the outbox"),
      setting("WORKER_WAIT_SECONDS", &WorkerOptions::wait, core::duration_in<seconds>(0, 20),
              "With SQS: how long one ReceiveMessage waits for messages (long poll); also the "
              "longest a SIGTERM waits for the poll in flight"),
      setting("SHUTDOWN_TIMEOUT_SECONDS", &WorkerOptions::shutdown_timeout,
              core::duration_in<seconds>(0, 3600),
              "After SIGTERM, wait at most this long for the batch in hand to be applied"),
      setting("ENVIRONMENT", &WorkerOptions::environment, core::non_empty_text(),
              "Deployment environment; production turns AWS_AUTO_PROVISION's default off"),
  };
  return rows;
}

}  // namespace sre::worker
