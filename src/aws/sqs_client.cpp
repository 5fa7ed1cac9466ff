#include "aws/sqs_client.h"

#include "aws/answer.h"

namespace sre::aws {

namespace asio = boost::asio;

SqsClient::SqsClient(ServiceAddress address, AwsMetrics& metrics)
    : connection_(std::move(address), "sqs", "AmazonSQS", metrics),
      create_queue_(connection_.operation("CreateQueue")),
      get_queue_url_(connection_.operation("GetQueueUrl")),
      get_queue_attributes_(connection_.operation("GetQueueAttributes")),
      set_queue_attributes_(connection_.operation("SetQueueAttributes")),
      send_message_batch_(connection_.operation("SendMessageBatch")),
      receive_message_(connection_.operation("ReceiveMessage")),
      delete_message_batch_(connection_.operation("DeleteMessageBatch")),
      change_message_visibility_(connection_.operation("ChangeMessageVisibility")) {}

// Each call binds its body and its answer to named locals (see the header's g++ 12 note).

asio::awaitable<Result<std::string>> SqsClient::create_queue(const std::string& name,
                                                             const Attributes& attributes) {
  const std::string body = sqs::create_queue_body(name, attributes);
  auto answer = co_await connection_.call(create_queue_, body);
  co_return read_answer(std::move(answer), sqs::parse_queue_url);
}

asio::awaitable<Result<std::string>> SqsClient::get_queue_url(const std::string& name) {
  const std::string body = sqs::get_queue_url_body(name);
  auto answer = co_await connection_.call(get_queue_url_, body);
  co_return read_answer(std::move(answer), sqs::parse_queue_url);
}

asio::awaitable<Result<SqsClient::Attributes>> SqsClient::get_queue_attributes(
    const std::string& queue_url, const std::vector<std::string>& names) {
  const std::string body = sqs::get_queue_attributes_body(queue_url, names);
  auto answer = co_await connection_.call(get_queue_attributes_, body);
  co_return read_answer(std::move(answer), sqs::parse_queue_attributes);
}

asio::awaitable<Result<Done>> SqsClient::set_queue_attributes(const std::string& queue_url,
                                                              const Attributes& attributes) {
  const std::string body = sqs::set_queue_attributes_body(queue_url, attributes);
  auto answer = co_await connection_.call(set_queue_attributes_, body);
  co_return done(std::move(answer));
}

asio::awaitable<Result<sqs::BatchResult>> SqsClient::send_message_batch(
    const std::string& queue_url, const std::vector<sqs::OutgoingMessage>& messages) {
  const std::string body = sqs::send_message_batch_body(queue_url, messages);
  auto answer = co_await connection_.call(send_message_batch_, body);
  co_return read_answer(std::move(answer), sqs::parse_batch_result);
}

asio::awaitable<Result<std::vector<sqs::ReceivedMessage>>> SqsClient::receive_message(
    const std::string& queue_url, int max_messages, int wait_seconds,
    int visibility_timeout_seconds) {
  const std::string body =
      sqs::receive_message_body(queue_url, max_messages, wait_seconds, visibility_timeout_seconds);
  auto answer =
      co_await connection_.call(receive_message_, body, std::chrono::seconds(wait_seconds));
  co_return read_answer(std::move(answer), sqs::parse_received_messages);
}

asio::awaitable<Result<sqs::BatchResult>> SqsClient::delete_message_batch(
    const std::string& queue_url, const std::vector<sqs::DeleteEntry>& entries) {
  const std::string body = sqs::delete_message_batch_body(queue_url, entries);
  auto answer = co_await connection_.call(delete_message_batch_, body);
  co_return read_answer(std::move(answer), sqs::parse_batch_result);
}

asio::awaitable<Result<Done>> SqsClient::change_message_visibility(
    const std::string& queue_url, const std::string& receipt_handle, int seconds) {
  const std::string body = sqs::change_message_visibility_body(queue_url, receipt_handle, seconds);
  auto answer = co_await connection_.call(change_message_visibility_, body);
  co_return done(std::move(answer));
}

}  // namespace sre::aws
