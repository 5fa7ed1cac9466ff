#include "aws/json_protocol.h"

#include <gtest/gtest.h>

namespace sre::aws {
namespace {

using namespace std::chrono;

system_clock::time_point at_050611() {
  return sys_days{year{2026} / 11 / 30} + hours{5} + minutes{6} + seconds{11};
}

// The expected Authorization was computed by botocore's SigV4Auth (an independent
// implementation) for the same request: an SQS GetQueueUrl with temporary credentials.
TEST(JsonProtocol, HeadersAreSignedAsBotocoreSignsThem) {
  auto headers = json_request_headers(
      "127.0.0.1:4566", "AmazonSQS.GetQueueUrl", R"({"QueueName":"student-events"})",
      {"test", "test-secret", "session-token-1"}, {"eu-west-1", "sqs"}, at_050611());
  std::vector<std::pair<std::string, std::string>> expected{
      {"Host", "127.0.0.1:4566"},
      {"X-Amz-Date", "20261130T050611Z"},
      {"X-Amz-Target", "AmazonSQS.GetQueueUrl"},
      {"Content-Type", "application/x-amz-json-1.0"},
      {"X-Amz-Security-Token", "session-token-1"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=test/20261130/eu-west-1/sqs/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
       "Signature=0adc1859eb0672eb61b735c1f6ec856012c8cd7ab0de21910b084b3870116e3f"},
  };
  EXPECT_EQ(headers, expected);
}

TEST(JsonProtocol, NoSecurityTokenHeaderWithLongTermCredentials) {
  auto headers =
      json_request_headers("localhost:4566", "DynamoDB_20120810.PutItem", "{}",
                           {"key", "secret", ""}, {"us-east-1", "dynamodb"}, at_050611());
  ASSERT_EQ(headers.size(), 5U);
  EXPECT_EQ(headers[4].first, "Authorization");
  EXPECT_NE(headers[4].second.find("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"),
            std::string::npos)
      << headers[4].second;
}

TEST(JsonProtocol, BodyIsCoveredBySignature) {
  auto one = json_request_headers("h", "AmazonSQS.SendMessageBatch", R"({"a":1})", {"k", "s", ""},
                                  {"us-east-1", "sqs"}, at_050611());
  auto other = json_request_headers("h", "AmazonSQS.SendMessageBatch", R"({"a":2})", {"k", "s", ""},
                                    {"us-east-1", "sqs"}, at_050611());
  EXPECT_NE(one.back().second, other.back().second);
}

}  // namespace
}  // namespace sre::aws
