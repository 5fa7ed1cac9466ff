#include "worker/sqs_source.h"

#include "aws/provisioning.h"
#include "core/errors.h"
#include "core/log.h"

namespace sre::worker {

namespace asio = boost::asio;

namespace {

core::DependencyUnavailable unavailable(std::string_view operation, const aws::AwsError& error) {
  return core::DependencyUnavailable(
      "sqs", std::string(operation) + " failed: " + error.code + ": " + error.message);
}

void log_queue_gone(const std::string& queue, std::string_view operation) {
  log::warn("the queue is gone: looking it up (or provisioning it) again",
            {{"queue", queue}, {"operation", operation}});
}

}  // namespace

core::DependencyUnavailable SqsSource::failed(std::string_view operation,
                                              const aws::AwsError& error) {
  if (aws::names_missing_resource(error)) {
    // Deleted, or the emulator restarted empty: the cached URL names nothing now.
    log_queue_gone(options_.queue_name, operation);
    queue_url_.clear();
  }
  return unavailable(operation, error);
}

SqsSource::SqsSource(aws::SqsClient& sqs, Options options)
    : sqs_(sqs), options_(std::move(options)) {}

asio::awaitable<std::string> SqsSource::queue_url() {
  if (!queue_url_.empty()) {
    co_return queue_url_;
  }
  aws::Result<std::string> url;
  if (options_.provision) {
    url = co_await aws::provision_queue(sqs_, options_.queue_name, kMaxDeliveries);
  } else {
    url = co_await sqs_.get_queue_url(options_.queue_name);
  }
  if (!url.ok()) {
    throw unavailable(options_.provision ? "provisioning the queue" : "GetQueueUrl", url.error);
  }
  queue_url_ = *url.value;
  log::info("receiving from SQS", {{"queue", options_.queue_name}, {"queue_url", queue_url_}});
  co_return queue_url_;
}

asio::awaitable<std::vector<DeliveredEvent>> SqsSource::receive() {
  std::vector<DeliveredEvent> delivered;
  if (interrupted_) {
    co_return delivered;
  }
  const std::string url = co_await queue_url();
  auto received = co_await sqs_.receive_message(
      url, options_.batch_size, static_cast<int>(options_.wait.count()),
      static_cast<int>(options_.visibility_timeout.count()));
  if (!received.ok()) {
    throw failed("ReceiveMessage", received.error);
  }
  delivered.reserve(received.value->size());
  for (auto& message : *received.value) {
    delivered.push_back({std::move(message.body), std::move(message.message_id),
                         std::move(message.receipt_handle), message.receive_count});
  }
  co_return delivered;
}

asio::awaitable<std::size_t> SqsSource::acknowledge(std::vector<DeliveredEvent> events) {
  std::vector<aws::sqs::DeleteEntry> entries;
  entries.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    entries.push_back({std::to_string(i), events[i].handle});
  }
  const std::string url = co_await queue_url();
  auto deleted = co_await sqs_.delete_message_batch(url, entries);
  if (!deleted.ok()) {
    throw failed("DeleteMessageBatch", deleted.error);
  }
  for (const auto& failure : deleted.value->failed) {
    // Delivered again once its visibility ends; apply_event knows it by its event_id.
    log::warn("SQS did not delete a processed message",
              {{"message_id", events.at(std::stoul(failure.id)).message_id},
               {"code", failure.code},
               {"error", failure.message}});
  }
  co_return deleted.value->succeeded.size();
}

asio::awaitable<std::size_t> SqsSource::retry_later(std::vector<DeliveredEvent> events) {
  for (const auto& event : events) {
    if (event.deliveries >= kMaxDeliveries) {
      log::error("event failed on its last delivery: the queue moves it to the dead-letter queue",
                 {{"message_id", event.message_id}, {"deliveries", event.deliveries}});
    }
  }
  co_return events.size();
}

asio::awaitable<std::size_t> SqsSource::set_aside(DeliveredEvent event, std::string reason) {
  // Not deleted: it comes back after its visibility timeout until the redrive policy moves it.
  if (event.deliveries >= kMaxDeliveries) {
    log::warn(
        "event moves to the dead-letter queue",
        {{"message_id", event.message_id}, {"deliveries", event.deliveries}, {"reason", reason}});
  }
  co_return 1;
}

asio::awaitable<std::size_t> SqsSource::extend(std::vector<DeliveredEvent> events) {
  const std::string url = co_await queue_url();
  const int seconds = static_cast<int>(options_.visibility_timeout.count());
  for (const auto& event : events) {
    auto changed = co_await sqs_.change_message_visibility(url, event.handle, seconds);
    if (!changed.ok()) {
      throw failed("ChangeMessageVisibility", changed.error);
    }
  }
  co_return events.size();
}

}  // namespace sre::worker
