#include "aws/sqs_protocol.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace sre::aws::sqs {
namespace {

boost::json::value parsed(const std::string& text) {
  return boost::json::parse(text);
}

constexpr std::string_view kQueue = "http://127.0.0.1:4566/123456789012/student-events";

TEST(SqsProtocol, TargetNamesTheOperation) {
  EXPECT_EQ(target("SendMessageBatch"), "AmazonSQS.SendMessageBatch");
}

TEST(SqsProtocol, SendMessageBatchUsesMessageBodyAndStringAttributes) {
  auto body = send_message_batch_body(
      kQueue, {{"e1", R"({"event_type":"student_created"})", {{"traceparent", "00-abc"}}},
               {"e2", "plain", {}}});
  EXPECT_EQ(parsed(body), parsed(R"({"QueueUrl":"http://127.0.0.1:4566/123456789012/student-events",
    "Entries":[{"Id":"e1","MessageBody":"{\"event_type\":\"student_created\"}",
                "MessageAttributes":{"traceparent":{"DataType":"String","StringValue":"00-abc"}}},
               {"Id":"e2","MessageBody":"plain"}]})"));
}

TEST(SqsProtocol, ReceiveAsksForReceiveCountAndAllMessageAttributes) {
  EXPECT_EQ(parsed(receive_message_body(kQueue, 10, 20, 30)),
            parsed(R"({"QueueUrl":"http://127.0.0.1:4566/123456789012/student-events",
              "MaxNumberOfMessages":10,"WaitTimeSeconds":20,"VisibilityTimeout":30,
              "AttributeNames":["ApproximateReceiveCount"],"MessageAttributeNames":["All"]})"));
}

TEST(SqsProtocol, DeleteAndVisibilityBodies) {
  EXPECT_EQ(parsed(delete_message_batch_body(kQueue, {{"0", "rh-a"}, {"1", "rh-b"}})),
            parsed(R"({"QueueUrl":"http://127.0.0.1:4566/123456789012/student-events",
              "Entries":[{"Id":"0","ReceiptHandle":"rh-a"},{"Id":"1","ReceiptHandle":"rh-b"}]})"));
  EXPECT_EQ(parsed(change_message_visibility_body(kQueue, "rh-a", 60)),
            parsed(R"({"QueueUrl":"http://127.0.0.1:4566/123456789012/student-events",
              "ReceiptHandle":"rh-a","VisibilityTimeout":60})"));
}

TEST(SqsProtocol, QueueBodies) {
  EXPECT_EQ(parsed(create_queue_body("student-events", {{"VisibilityTimeout", "30"}})),
            parsed(R"({"QueueName":"student-events","Attributes":{"VisibilityTimeout":"30"}})"));
  EXPECT_EQ(parsed(create_queue_body("dlq", {})), parsed(R"({"QueueName":"dlq"})"));
  EXPECT_EQ(parsed(get_queue_url_body("student-events")),
            parsed(R"({"QueueName":"student-events"})"));
  EXPECT_EQ(parsed(get_queue_attributes_body(kQueue, {"QueueArn"})),
            parsed(R"({"QueueUrl":"http://127.0.0.1:4566/123456789012/student-events",
              "AttributeNames":["QueueArn"]})"));
  EXPECT_EQ(parsed(set_queue_attributes_body(kQueue, {{"RedrivePolicy", "p"}})),
            parsed(R"({"QueueUrl":"http://127.0.0.1:4566/123456789012/student-events",
              "Attributes":{"RedrivePolicy":"p"}})"));
}

TEST(SqsProtocol, RedrivePolicyIsJsonInAString) {
  EXPECT_EQ(
      parsed(redrive_policy("arn:aws:sqs:us-east-1:123456789012:student-events-dlq", 5)),
      parsed(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:student-events-dlq",
              "maxReceiveCount":"5"})"));
}

// Answers below are as moto_server gave them.
TEST(SqsProtocol, ParsesQueueUrlAndAttributes) {
  EXPECT_EQ(
      parse_queue_url(R"({"QueueUrl": "http://127.0.0.1:45666/123456789012/student-events"})"),
      "http://127.0.0.1:45666/123456789012/student-events");
  auto attributes = parse_queue_attributes(
      R"({"Attributes": {"ApproximateNumberOfMessages": "3", "QueueArn": "arn:aws:sqs:us-east-1:123456789012:student-events"}})");
  EXPECT_EQ(attributes.at("ApproximateNumberOfMessages"), "3");
  EXPECT_EQ(attributes.at("QueueArn"), "arn:aws:sqs:us-east-1:123456789012:student-events");
}

TEST(SqsProtocol, ParsesBatchSuccessesAndFailures) {
  auto result = parse_batch_result(
      R"({"Successful": [{"Id": "a", "MessageId": "4939655f", "MD5OfMessageBody": "ac3e"}],
          "Failed": [{"Id": "x", "SenderFault": true, "Code": "ReceiptHandleIsInvalid", "Message": "bad handle"},
                     {"Id": "y", "SenderFault": false, "Code": "InternalError"}]})");
  EXPECT_EQ(result.succeeded, std::vector<std::string>{"a"});
  ASSERT_EQ(result.failed.size(), 2U);
  EXPECT_EQ(result.failed[0].id, "x");
  EXPECT_EQ(result.failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(result.failed[0].message, "bad handle");
  EXPECT_TRUE(result.failed[0].sender_fault);
  EXPECT_FALSE(result.failed[1].sender_fault);
  EXPECT_EQ(result.failed[1].message, "");
}

TEST(SqsProtocol, ParsesReceivedMessagesWithReceiveCountAndAttributes) {
  auto messages = parse_received_messages(
      R"({"Messages": [{"MessageId": "4939655f", "ReceiptHandle": "fzws", "MD5OfBody": "ac3e",
          "Body": "{\"x\":1}", "Attributes": {"SenderId": "AIDA", "ApproximateReceiveCount": "3"},
          "MessageAttributes": {"traceparent": {"StringValue": "00-abc", "DataType": "String"}}}]})");
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].message_id, "4939655f");
  EXPECT_EQ(messages[0].receipt_handle, "fzws");
  EXPECT_EQ(messages[0].body, R"({"x":1})");
  EXPECT_EQ(messages[0].receive_count, 3);
  EXPECT_EQ(messages[0].string_attributes.at("traceparent"), "00-abc");
}

TEST(SqsProtocol, EmptyReceiveIsNoMessages) {
  EXPECT_TRUE(parse_received_messages("{}").empty());
}

TEST(SqsProtocol, MalformedAnswersThrowInvalidArgument) {
  EXPECT_THROW(parse_queue_url("<html>"), std::invalid_argument);
  EXPECT_THROW(parse_queue_url("{}"), std::invalid_argument);
  EXPECT_THROW(parse_batch_result(R"({"Successful": [1]})"), std::invalid_argument);
  EXPECT_THROW(parse_received_messages(R"({"Messages": {}})"), std::invalid_argument);
}

}  // namespace
}  // namespace sre::aws::sqs
