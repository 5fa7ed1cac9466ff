// Where an outbox topic is shipped (SQS for events, DynamoDB for audit records), as the relay
// loop sees it: get ready once (provision, or look up), then deliver batches and say, row by
// row, what became of them.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/aws_call.h"
#include "store/event_store.h"

namespace sre::events {

// What one delivery attempt did with each row of the batch.
struct Delivery {
  std::vector<std::int64_t> delivered;  // acknowledged: mark delivered
  std::vector<std::int64_t> failed;     // not acknowledged this time: release, send again later
  std::vector<std::pair<std::int64_t, std::string>> refused;  // refused for good, and why
  std::optional<aws::AwsError> call_error;                    // set when the call failed as a whole
};

// What a failed call as a whole says about the rows it carried.
enum class FailureKind : std::uint8_t {
  transient,         // the destination is unwell or unreachable: send again after a backoff
  rows_at_fault,     // one row of the batch may be the cause: send them one by one to find it
  destination_gone,  // the queue or table does not exist (deleted, emulator restarted): prepare
                     // again, then send again
};
FailureKind kind_of(const aws::AwsError& error);

class Destination {
 public:
  virtual ~Destination() = default;

  // "sqs" or "dynamodb": the label of the destination's metrics and its breaker's name.
  virtual const std::string& name() const = 0;
  virtual int batch_size() const = 0;
  // Provisions the queue or table (AWS_AUTO_PROVISION), or looks it up. Called before the
  // first delivery and after one found it gone; called again after a backoff while it fails.
  virtual boost::asio::awaitable<aws::Result<aws::Done>> prepare() = 0;
  // At most batch_size() rows; `batch` must outlive the call.
  virtual boost::asio::awaitable<Delivery> deliver(
      const std::vector<store::OutboxMessage>& batch) = 0;
};

}  // namespace sre::events
