// The worker's events from the SQS queue `student-events` (ENABLE_SQS=true), where the relay
// in `serve` sends them. ReceiveMessage long polls for up to `wait_seconds`; a received
// message stays invisible to other consumers for the visibility timeout, which the consumer
// renews (ChangeMessageVisibility) while a slow batch is still in hand.
//
//   acknowledge   DeleteMessageBatch: only for events whose effects are committed
//   retry_later   nothing: the message reappears when its visibility timeout ends
//   set_aside     nothing either: after kMaxDeliveries receives the queue's redrive policy
//                 moves the message to the dead-letter queue, where a human looks at it
//
// The queue's URL is asked of SQS (GetQueueUrl), never built; with AWS_AUTO_PROVISION the
// worker first creates the queue and its dead-letter queue (idempotent), so it may start
// before the API. A failed call throws core::DependencyUnavailable("sqs").
#pragma once

#include <chrono>
#include <string>

#include "aws/sqs_client.h"
#include "core/errors.h"
#include "worker/event_source.h"

namespace sre::worker {

class SqsSource : public EventSource {
 public:
  struct Options {
    std::string queue_name = "student-events";
    int batch_size = 10;
    std::chrono::seconds visibility_timeout{30};
    std::chrono::seconds wait{20};  // long poll; at most 20 s
    bool provision = false;         // create the queue (and its dead-letter queue) first
  };

  // `sqs` must outlive the source.
  SqsSource(aws::SqsClient& sqs, Options options);

  std::string_view name() const override { return "sqs"; }
  boost::asio::awaitable<std::vector<DeliveredEvent>> receive() override;
  boost::asio::awaitable<std::size_t> acknowledge(std::vector<DeliveredEvent> events) override;
  boost::asio::awaitable<std::size_t> retry_later(std::vector<DeliveredEvent> events) override;
  boost::asio::awaitable<std::size_t> set_aside(DeliveredEvent event, std::string reason) override;
  std::optional<std::chrono::seconds> hold() const override { return options_.visibility_timeout; }
  boost::asio::awaitable<std::size_t> extend(std::vector<DeliveredEvent> events) override;
  // A long poll in flight is not cut short: it ends within `wait`, and what it brings is
  // processed as the batch in hand.
  void interrupt() override { interrupted_ = true; }

 private:
  // The queue's URL, asked for (and the queue provisioned) on first use, and again after a
  // call found the queue gone.
  boost::asio::awaitable<std::string> queue_url();
  // The exception for a failed call; forgets the queue's URL when the queue is gone.
  core::DependencyUnavailable failed(std::string_view operation, const aws::AwsError& error);

  aws::SqsClient& sqs_;
  Options options_;
  std::string queue_url_;
  bool interrupted_ = false;
};

}  // namespace sre::worker
