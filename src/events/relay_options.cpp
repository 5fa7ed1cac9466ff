#include "events/relay_options.h"

namespace sre::events {

namespace {

using core::setting;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::vector<core::Setting<resilience::BackoffPolicy>> backoff_settings() {
  return {
      setting("RELAY_BACKOFF_BASE_MS", &resilience::BackoffPolicy::base,
              core::duration_in<milliseconds>(1, 60'000),
              "After a failed delivery the relay waits about this long, doubling per failure"),
      setting("RELAY_BACKOFF_MAX_MS", &resilience::BackoffPolicy::cap,
              core::duration_in<milliseconds>(1, 600'000), "Cap of the relay's backoff"),
  };
}

std::vector<core::Setting<resilience::CircuitBreakerOptions>> breaker_settings() {
  return {
      setting("RELAY_BREAKER_OPEN_SECONDS", &resilience::CircuitBreakerOptions::open_duration,
              core::duration_in<milliseconds, seconds>(1, 3600),
              "After 3 failed deliveries in a row the destination's breaker stays open this "
              "long before one probe batch"),
  };
}

std::vector<core::Setting<RelayOptions>> own_settings() {
  return {
      setting("RELAY_SQS_BATCH", &RelayOptions::sqs_batch, core::integer_in<int>(1, 10),
              "Events per SendMessageBatch call"),
      setting("RELAY_DYNAMODB_BATCH", &RelayOptions::dynamodb_batch, core::integer_in<int>(1, 25),
              "Audit records per BatchWriteItem call"),
      setting("RELAY_CONCURRENCY", &RelayOptions::concurrency, core::integer_in<int>(1, 64),
              "Batches each destination has in flight at once"),
      setting("RELAY_LEASE_SECONDS", &RelayOptions::lease, core::duration_in<seconds>(1, 3600),
              "A claimed outbox row is not claimed by another relay for this long"),
      setting("RELAY_POLL_INTERVAL_MS", &RelayOptions::poll_interval,
              core::duration_in<milliseconds>(10, 600'000),
              "Look for outbox rows this often when no commit in this process woke the relay"),
      setting("OUTBOX_RETENTION_SECONDS", &RelayOptions::retention,
              core::duration_in<seconds>(1, 31'536'000),
              "Delivered outbox rows are deleted after this"),
      setting("AUDIT_RETENTION_DAYS", &RelayOptions::audit_retention,
              core::duration_in<std::chrono::days>(0, 36'500),
              "Days DynamoDB keeps an audit record: it is written with expires_at = its "
              "timestamp + this, which the table's TTL deletes it after (0: kept forever)"),
  };
}

}  // namespace

const std::vector<core::Setting<RelayOptions>>& settings() {
  static const std::vector<core::Setting<RelayOptions>> rows = core::concat<RelayOptions>({
      own_settings(),
      core::nest(&RelayOptions::backoff, backoff_settings()),
      core::nest(&RelayOptions::breaker, breaker_settings()),
  });
  return rows;
}

}  // namespace sre::events
