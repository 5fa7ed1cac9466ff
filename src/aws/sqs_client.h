// The SQS client: the operations of sqs_protocol.h sent over one ServiceConnection. Each
// method is ONE call (see aws_call.h); an answer that does not have the documented shape is a
// non-retryable error ("InvalidAnswer"), never a crash. Arguments are taken by reference and
// must outlive the call (named locals of the caller: g++ 12 miscompiles coroutines that take
// temporaries by value, see README).
//
// Queue URLs are never built by hand: LocalStack and moto (and AWS) disagree on their shape
// and account ids. Ask get_queue_url() and keep what it says.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <map>
#include <string>
#include <vector>

#include "aws/aws_call.h"
#include "aws/sqs_protocol.h"

namespace sre::aws {

class SqsClient {
 public:
  SqsClient(ServiceAddress address, AwsMetrics& metrics);

  using Attributes = std::map<std::string, std::string>;

  // The queue's URL; creating a queue that exists with the same attributes is no error.
  boost::asio::awaitable<Result<std::string>> create_queue(const std::string& name,
                                                           const Attributes& attributes);
  boost::asio::awaitable<Result<std::string>> get_queue_url(const std::string& name);
  boost::asio::awaitable<Result<Attributes>> get_queue_attributes(
      const std::string& queue_url, const std::vector<std::string>& names);
  boost::asio::awaitable<Result<Done>> set_queue_attributes(const std::string& queue_url,
                                                            const Attributes& attributes);
  // At most sqs::kMaxBatchEntries messages. A success can still hold failed entries.
  boost::asio::awaitable<Result<sqs::BatchResult>> send_message_batch(
      const std::string& queue_url, const std::vector<sqs::OutgoingMessage>& messages);
  // Long poll: the call's timeout grows by `wait_seconds`.
  boost::asio::awaitable<Result<std::vector<sqs::ReceivedMessage>>> receive_message(
      const std::string& queue_url, int max_messages, int wait_seconds,
      int visibility_timeout_seconds);
  boost::asio::awaitable<Result<sqs::BatchResult>> delete_message_batch(
      const std::string& queue_url, const std::vector<sqs::DeleteEntry>& entries);
  boost::asio::awaitable<Result<Done>> change_message_visibility(const std::string& queue_url,
                                                                 const std::string& receipt_handle,
                                                                 int seconds);

 private:
  ServiceConnection connection_;
  AwsMetrics::Operation& create_queue_;
  AwsMetrics::Operation& get_queue_url_;
  AwsMetrics::Operation& get_queue_attributes_;
  AwsMetrics::Operation& set_queue_attributes_;
  AwsMetrics::Operation& send_message_batch_;
  AwsMetrics::Operation& receive_message_;
  AwsMetrics::Operation& delete_message_batch_;
  AwsMetrics::Operation& change_message_visibility_;
};

}  // namespace sre::aws
