#include "aws/sqs_protocol.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "aws/json_protocol.h"

namespace sre::aws::sqs {
namespace json = boost::json;
namespace {

json::object string_map(const std::map<std::string, std::string>& values) {
  json::object out;
  for (const auto& [name, value] : values) {
    out[name] = value;
  }
  return out;
}

const json::object& fields_of(const json::value& entry) {
  if (!entry.is_object()) {
    throw std::invalid_argument("SQS answer has an entry that is not an object");
  }
  return entry.as_object();
}

std::string text_of(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    throw std::invalid_argument("SQS answer lacks the text field " + std::string(name));
  }
  return std::string(value->as_string());
}

// An optional array field: absent means empty (SQS leaves "Messages" out when there are none).
const json::array& array_of(const json::object& object, std::string_view name) {
  static const json::array empty;
  const auto* value = object.if_contains(name);
  if (value == nullptr) {
    return empty;
  }
  if (!value->is_array()) {
    throw std::invalid_argument("SQS answer's " + std::string(name) + " is not an array");
  }
  return value->as_array();
}

}  // namespace

std::string target(std::string_view operation) {
  return "AmazonSQS." + std::string(operation);
}

std::string create_queue_body(std::string_view name,
                              const std::map<std::string, std::string>& attributes) {
  json::object body{{"QueueName", name}};
  if (!attributes.empty()) {
    body["Attributes"] = string_map(attributes);
  }
  return json::serialize(body);
}

std::string get_queue_url_body(std::string_view name) {
  return json::serialize(json::object{{"QueueName", name}});
}

std::string get_queue_attributes_body(std::string_view queue_url,
                                      const std::vector<std::string>& names) {
  json::array list;
  for (const auto& name : names) {
    list.emplace_back(name);
  }
  return json::serialize(json::object{{"QueueUrl", queue_url}, {"AttributeNames", list}});
}

std::string set_queue_attributes_body(std::string_view queue_url,
                                      const std::map<std::string, std::string>& attributes) {
  return json::serialize(
      json::object{{"QueueUrl", queue_url}, {"Attributes", string_map(attributes)}});
}

std::string send_message_batch_body(std::string_view queue_url,
                                    const std::vector<OutgoingMessage>& messages) {
  json::array entries;
  for (const auto& message : messages) {
    json::object entry{{"Id", message.id}, {"MessageBody", message.body}};
    if (!message.string_attributes.empty()) {
      json::object attributes;
      for (const auto& [name, value] : message.string_attributes) {
        attributes[name] = json::object{{"DataType", "String"}, {"StringValue", value}};
      }
      entry["MessageAttributes"] = std::move(attributes);
    }
    entries.emplace_back(std::move(entry));
  }
  return json::serialize(json::object{{"QueueUrl", queue_url}, {"Entries", entries}});
}

std::string receive_message_body(std::string_view queue_url, int max_messages, int wait_seconds,
                                 int visibility_timeout_seconds) {
  return json::serialize(json::object{
      {"QueueUrl", queue_url},
      {"MaxNumberOfMessages", max_messages},
      {"WaitTimeSeconds", wait_seconds},
      {"VisibilityTimeout", visibility_timeout_seconds},
      {"AttributeNames", json::array{"ApproximateReceiveCount"}},
      {"MessageAttributeNames", json::array{"All"}},
  });
}

std::string delete_message_batch_body(std::string_view queue_url,
                                      const std::vector<DeleteEntry>& entries) {
  json::array list;
  for (const auto& entry : entries) {
    list.emplace_back(json::object{{"Id", entry.id}, {"ReceiptHandle", entry.receipt_handle}});
  }
  return json::serialize(json::object{{"QueueUrl", queue_url}, {"Entries", list}});
}

std::string change_message_visibility_body(std::string_view queue_url,
                                           std::string_view receipt_handle, int seconds) {
  return json::serialize(json::object{
      {"QueueUrl", queue_url}, {"ReceiptHandle", receipt_handle}, {"VisibilityTimeout", seconds}});
}

std::string parse_queue_url(std::string_view answer) {
  return text_of(parse_answer(answer, "SQS"), "QueueUrl");
}

std::map<std::string, std::string> parse_queue_attributes(std::string_view answer) {
  auto object = parse_answer(answer, "SQS");
  std::map<std::string, std::string> out;
  if (const auto* attributes = object.if_contains("Attributes"); attributes != nullptr) {
    if (!attributes->is_object()) {
      throw std::invalid_argument("SQS answer's Attributes is not an object");
    }
    for (const auto& [name, value] : attributes->as_object()) {
      if (value.is_string()) {
        out.emplace(std::string(name), std::string(value.as_string()));
      }
    }
  }
  return out;
}

BatchResult parse_batch_result(std::string_view answer) {
  auto object = parse_answer(answer, "SQS");
  BatchResult result;
  for (const auto& entry : array_of(object, "Successful")) {
    result.succeeded.push_back(text_of(fields_of(entry), "Id"));
  }
  for (const auto& entry : array_of(object, "Failed")) {
    const auto& failure = fields_of(entry);
    const auto* sender_fault = failure.if_contains("SenderFault");
    result.failed.push_back(
        {text_of(failure, "Id"), text_of(failure, "Code"),
         failure.contains("Message") ? text_of(failure, "Message") : "",
         sender_fault != nullptr && sender_fault->is_bool() && sender_fault->as_bool()});
  }
  return result;
}

std::vector<ReceivedMessage> parse_received_messages(std::string_view answer) {
  auto object = parse_answer(answer, "SQS");
  std::vector<ReceivedMessage> messages;
  for (const auto& entry : array_of(object, "Messages")) {
    const auto& fields = fields_of(entry);
    ReceivedMessage message{text_of(fields, "MessageId"),
                            text_of(fields, "ReceiptHandle"),
                            text_of(fields, "Body"),
                            0,
                            {}};
    if (const auto* attributes = fields.if_contains("Attributes");
        attributes != nullptr && attributes->is_object()) {
      if (const auto* count = attributes->as_object().if_contains("ApproximateReceiveCount");
          count != nullptr && count->is_string()) {
        message.receive_count = std::stoi(std::string(count->as_string()));
      }
    }
    if (const auto* attributes = fields.if_contains("MessageAttributes");
        attributes != nullptr && attributes->is_object()) {
      for (const auto& [name, value] : attributes->as_object()) {
        if (value.is_object()) {
          if (const auto* text = value.as_object().if_contains("StringValue");
              text != nullptr && text->is_string()) {
            message.string_attributes.emplace(std::string(name), std::string(text->as_string()));
          }
        }
      }
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

std::string redrive_policy(std::string_view dead_letter_arn, int max_receive_count) {
  // SQS wants the policy as a JSON document inside a string attribute.
  return json::serialize(json::object{{"deadLetterTargetArn", dead_letter_arn},
                                      {"maxReceiveCount", std::to_string(max_receive_count)}});
}

}  // namespace sre::aws::sqs
