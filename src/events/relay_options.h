// The outbox relay's settings: how much it ships per call, how long a claim holds rows, how
// often it looks for work when nothing woke it, how it backs off and breaks the circuit when
// SQS or DynamoDB fail, how long delivered rows are kept, and how long DynamoDB keeps the
// audit records.
#pragma once

#include <chrono>
#include <vector>

#include "core/config.h"
#include "resilience/backoff.h"
#include "resilience/circuit_breaker.h"

namespace sre::events {

struct RelayOptions {
  int sqs_batch = 10;       // SendMessageBatch takes at most 10
  int dynamodb_batch = 25;  // BatchWriteItem takes at most 25
  // Batches in flight per destination at once (see RelayLoop for why more than one).
  int concurrency = 4;
  // A claimed row is not claimed by another relay for this long: more than one call's timeout,
  // so a slow call does not let a second instance send the same rows.
  std::chrono::seconds lease{30};
  // The relay is woken by every commit in this process; the poll finds rows written by other
  // instances (and is the fallback if a wake-up is missed).
  std::chrono::milliseconds poll_interval{500};
  resilience::BackoffPolicy backoff{std::chrono::milliseconds(100),
                                    std::chrono::milliseconds(5000)};
  resilience::CircuitBreakerOptions breaker{
      .consecutive_failure_threshold = 3,
      .failure_rate_threshold = 0.5,
      .window_size = 10,
      .minimum_calls = 5,
      .open_duration = std::chrono::seconds(5),
      // Batches to an emulator can take a while; only an answer slower than a call's timeout
      // is as useless as none.
      .slow_call_threshold = std::chrono::seconds(10),
      .half_open_probes = 1,
  };
  std::chrono::seconds retention{std::chrono::hours(24)};
  // How long DynamoDB keeps an audit record (its expires_at); 0: forever.
  std::chrono::days audit_retention{90};
  // How often the backlog gauges are refreshed and delivered rows pruned.
  std::chrono::milliseconds housekeeping_interval{2000};
};

const std::vector<core::Setting<RelayOptions>>& settings();

}  // namespace sre::events
