#include "aws/aws_error.h"

#include <gtest/gtest.h>

namespace sre::aws {
namespace {

// Bodies as moto_server answers them (the same shapes AWS uses).
TEST(AwsError, SqsMissingQueueIsNotRetryable) {
  auto error = error_from_response(
      400, "com.amazonaws.sqs#QueueDoesNotExist",
      R"({"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist.", "Message": "The specified queue does not exist."})");
  EXPECT_EQ(error.code, "QueueDoesNotExist");
  EXPECT_EQ(error.message, "The specified queue does not exist.");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_FALSE(error.retryable);
}

TEST(AwsError, MessageWithCapitalMIsRead) {
  auto error = error_from_response(
      400, "", R"({"__type": "com.amazonaws.sqs#InvalidParameterValue", "Message": "bad name"})");
  EXPECT_EQ(error.code, "InvalidParameterValue");
  EXPECT_EQ(error.message, "bad name");
  EXPECT_FALSE(error.retryable);
}

TEST(AwsError, DynamoDbThrottleIsRetryableDespite400) {
  auto error = error_from_response(
      400, "",
      R"({"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "message": "slow down"})");
  EXPECT_EQ(error.code, "ProvisionedThroughputExceededException");
  EXPECT_TRUE(error.retryable);
}

TEST(AwsError, ValidationIsNotRetryable) {
  auto error = error_from_response(
      400, "", R"({"__type": "com.amazon.coral.validate#ValidationException", "message": "x"})");
  EXPECT_EQ(error.code, "ValidationException");
  EXPECT_FALSE(error.retryable);
}

TEST(AwsError, ServerErrorsAndTooManyRequestsAreRetryable) {
  EXPECT_TRUE(error_from_response(500, "", "").retryable);
  EXPECT_TRUE(error_from_response(503, "", "<html>busy</html>").retryable);
  EXPECT_TRUE(error_from_response(429, "", "").retryable);
  EXPECT_FALSE(error_from_response(403, "", "").retryable);
}

TEST(AwsError, CodeFromHeaderWhenBodyHasNone) {
  auto error = error_from_response(400, "ResourceNotFoundException", "not json");
  EXPECT_EQ(error.code, "ResourceNotFoundException");
  EXPECT_FALSE(error.retryable);
}

TEST(AwsError, CodeSuffixAfterColonIsDropped) {
  auto error = error_from_response(
      400, "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/", "");
  EXPECT_EQ(error.code, "ThrottlingException");
  EXPECT_TRUE(error.retryable);
}

TEST(AwsError, UnknownAnswerNamesItsStatus) {
  auto error = error_from_response(418, "", "");
  EXPECT_EQ(error.code, "HttpStatus418");
  EXPECT_FALSE(error.retryable);
}

TEST(AwsError, TransportFailureIsRetryable) {
  auto error = transport_error("connection refused");
  EXPECT_EQ(error.http_status, 0);
  EXPECT_EQ(error.code, "Transport");
  EXPECT_TRUE(error.retryable);
}

}  // namespace
}  // namespace sre::aws
