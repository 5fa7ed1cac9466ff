// The worker's own settings: how many events it takes at a time, how long it may hold them,
// how often it looks at an empty outbox or how long it long polls SQS, how long it may take to
// stop, and which environment it runs in.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/config.h"

namespace sre::worker {

struct WorkerOptions {
  int batch_size = 10;  // SQS hands out at most 10 messages per receive
  // A received event is hidden from other consumers this long (SQS visibility timeout,
  // outbox lease); a batch still in hand at half of it renews it.
  std::chrono::seconds visibility_timeout{30};
  std::chrono::milliseconds poll_interval{250};  // outbox: wait after finding nothing pending
  std::chrono::seconds wait{20};                 // SQS: how long one ReceiveMessage long polls
  std::chrono::seconds shutdown_timeout{25};     // after SIGTERM: the batch in hand, at most
  // "production" turns AWS_AUTO_PROVISION's default off (as for the API).
  std::string environment = "development";
};

const std::vector<core::Setting<WorkerOptions>>& worker_settings();

}  // namespace sre::worker
