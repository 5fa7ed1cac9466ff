#include "events/sqs_destination.h"

#include <charconv>
#include <map>

#include "aws/provisioning.h"
#include "domain/student_change.h"

namespace sre::events {

namespace asio = boost::asio;

namespace {

std::int64_t sequence_of(const std::string& entry_id) {
  std::int64_t sequence = -1;
  std::from_chars(entry_id.data(), entry_id.data() + entry_id.size(), sequence);
  return sequence;
}

// Every row of `batch` failed with the call.
Delivery failed_call(const std::vector<store::OutboxMessage>& batch, aws::AwsError error) {
  Delivery delivery;
  for (const auto& message : batch) {
    delivery.failed.push_back(message.sequence);
  }
  delivery.call_error = std::move(error);
  return delivery;
}

// The event's trace as the SQS message attribute `traceparent`, where tracing tools look for
// it (the body carries it too, for consumers that read only bodies).
std::map<std::string, std::string> trace_attributes(const std::string& body) {
  auto event = domain::parse_event(body);
  if (!event || event->traceparent.empty()) {
    return {};
  }
  return {{"traceparent", std::move(event->traceparent)}};
}

}  // namespace

SqsDestination::SqsDestination(aws::SqsClient& sqs, std::string queue_name, bool provision,
                               int batch_size)
    : sqs_(sqs),
      queue_name_(std::move(queue_name)),
      provision_(provision),
      batch_size_(batch_size) {}

asio::awaitable<aws::Result<aws::Done>> SqsDestination::prepare() {
  // Not a conditional expression around co_await: g++ 12 miscompiles that (see README).
  aws::Result<std::string> url;
  if (provision_) {
    url = co_await aws::provision_queue(sqs_, queue_name_, aws::kMaxReceiveCount);
  } else {
    url = co_await sqs_.get_queue_url(queue_name_);
  }
  if (!url.ok()) {
    co_return aws::Result<aws::Done>::failure(std::move(url.error));
  }
  queue_url_ = std::move(*url.value);
  co_return aws::Result<aws::Done>{aws::Done{}, {}};
}

asio::awaitable<Delivery> SqsDestination::deliver(const std::vector<store::OutboxMessage>& batch) {
  std::vector<aws::sqs::OutgoingMessage> messages;
  messages.reserve(batch.size());
  for (const auto& row : batch) {
    messages.push_back({std::to_string(row.sequence), row.body, trace_attributes(row.body)});
  }
  auto sent = co_await sqs_.send_message_batch(queue_url_, messages);
  if (!sent.ok()) {
    co_return failed_call(batch, std::move(sent.error));
  }
  Delivery delivery;
  for (const auto& id : sent.value->succeeded) {
    delivery.delivered.push_back(sequence_of(id));
  }
  for (const auto& failure : sent.value->failed) {
    if (failure.sender_fault) {
      delivery.refused.emplace_back(sequence_of(failure.id), failure.code + ": " + failure.message);
    } else {
      delivery.failed.push_back(sequence_of(failure.id));
    }
  }
  co_return delivery;
}

}  // namespace sre::events
