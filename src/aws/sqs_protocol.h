// The SQS operations we use, as JSON-protocol bodies to send and answers to read. Pure: the
// SQS client (transport, retries, metrics) is built on top of these.
//
// Field names follow the SQS API reference (note SendMessageBatch's "MessageBody" against
// ReceiveMessage's "Body"). Answers that do not have the documented shape throw
// std::invalid_argument: a protocol mismatch is a bug to see, not a value to guess.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sre::aws::sqs {

// X-Amz-Target of an operation: "AmazonSQS.SendMessageBatch".
std::string target(std::string_view operation);

// SQS accepts at most 10 entries per batch call.
inline constexpr std::size_t kMaxBatchEntries = 10;

struct OutgoingMessage {
  std::string id;  // unique within the batch: [A-Za-z0-9_-], 1..80 characters
  std::string body;
  std::map<std::string, std::string> string_attributes;  // MessageAttributes of type String
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  int receive_count = 0;  // ApproximateReceiveCount: > 1 means it was delivered before
  std::map<std::string, std::string> string_attributes;
};

struct BatchEntryFailure {
  std::string id;
  std::string code;  // "ReceiptHandleIsInvalid", "InternalError"
  std::string message;
  bool sender_fault = false;  // true: our entry is wrong, retrying it will not help
};

// SendMessageBatch and DeleteMessageBatch answer in the same shape: per entry, success or a
// failure. A batch call can succeed as a whole and still fail some entries.
struct BatchResult {
  std::vector<std::string> succeeded;
  std::vector<BatchEntryFailure> failed;
};

struct DeleteEntry {
  std::string id;
  std::string receipt_handle;
};

std::string create_queue_body(std::string_view name,
                              const std::map<std::string, std::string>& attributes);
std::string get_queue_url_body(std::string_view name);
std::string get_queue_attributes_body(std::string_view queue_url,
                                      const std::vector<std::string>& names);
std::string set_queue_attributes_body(std::string_view queue_url,
                                      const std::map<std::string, std::string>& attributes);
std::string send_message_batch_body(std::string_view queue_url,
                                    const std::vector<OutgoingMessage>& messages);
// Long poll: waits up to `wait_seconds` (at most 20) for up to `max_messages` (at most 10).
std::string receive_message_body(std::string_view queue_url, int max_messages, int wait_seconds,
                                 int visibility_timeout_seconds);
std::string delete_message_batch_body(std::string_view queue_url,
                                      const std::vector<DeleteEntry>& entries);
std::string change_message_visibility_body(std::string_view queue_url,
                                           std::string_view receipt_handle, int seconds);

// CreateQueue and GetQueueUrl answer {"QueueUrl": ...}.
std::string parse_queue_url(std::string_view answer);
std::map<std::string, std::string> parse_queue_attributes(std::string_view answer);
BatchResult parse_batch_result(std::string_view answer);
std::vector<ReceivedMessage> parse_received_messages(std::string_view answer);

// The RedrivePolicy attribute that sends a message to `dead_letter_arn` after it was received
// `max_receive_count` times without being deleted.
std::string redrive_policy(std::string_view dead_letter_arn, int max_receive_count);

}  // namespace sre::aws::sqs
