// Student events to the SQS queue SQS_QUEUE_NAME: each outbox row is one message whose body
// is the event exactly as stored, with the event's traceparent as a message attribute. The batch
// entry id is the row's sequence number, so the per-entry answer maps back to rows without a
// lookup.
#pragma once

#include <string>

#include "aws/sqs_client.h"
#include "events/destination.h"

namespace sre::events {

class SqsDestination : public Destination {
 public:
  // With `provision`, prepare() creates the queue and its dead-letter queue; otherwise it
  // only looks the queue's URL up.
  SqsDestination(aws::SqsClient& sqs, std::string queue_name, bool provision, int batch_size);

  const std::string& name() const override { return name_; }
  int batch_size() const override { return batch_size_; }
  boost::asio::awaitable<aws::Result<aws::Done>> prepare() override;
  boost::asio::awaitable<Delivery> deliver(const std::vector<store::OutboxMessage>& batch) override;

 private:
  std::string name_ = "sqs";
  aws::SqsClient& sqs_;
  std::string queue_name_;
  bool provision_;
  int batch_size_;
  std::string queue_url_;  // from GetQueueUrl (or CreateQueue), set by prepare()
};

}  // namespace sre::events
