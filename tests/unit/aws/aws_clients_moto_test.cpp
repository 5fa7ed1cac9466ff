// The SQS and DynamoDB clients against a real moto_server: provisioning, every operation the
// relay and the worker use, how errors are classified, and what the metrics count.
// Built as its own test program (aws_moto_tests): one moto_server for all of its tests.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <memory>
#include <thread>

#include "aws/dynamodb_client.h"
#include "aws/moto_server.h"
#include "aws/provisioning.h"
#include "aws/sqs_client.h"
#include "core/io_thread.h"
#include "obs/metrics.h"

namespace sre::aws {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

// Runs `body` to completion on a thread that plays I/O thread 0 (so the HTTP client pools).
template <typename T>
T run(const std::function<asio::awaitable<T>()>& body) {
  asio::io_context ioc;
  auto future = asio::co_spawn(ioc, body(), asio::use_future);
  std::thread thread([&ioc] {
    core::set_io_thread_index(0);
    ioc.run();
  });
  thread.join();
  return future.get();
}

class AwsClientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { moto_ = std::make_unique<testing::MotoServer>(); }
  static void TearDownTestSuite() { moto_.reset(); }

  static ServiceAddress address(std::string port) {
    // Generous: moto's first answer of each service loads that service (seconds on a busy
    // machine), and these tests are not about timeouts.
    return {Endpoint{false, "127.0.0.1", std::move(port)}, Credentials{"test", "test", ""},
            "us-east-1", 10000ms, nullptr};
  }
  ServiceAddress moto() const { return address(moto_->port()); }

  std::string metric_line(std::string_view prefix) const {
    auto text = metrics_.render();
    for (std::size_t start = 0; start < text.size();) {
      auto end = text.find('\n', start);
      std::string_view line(text.data() + start,
                            (end == std::string::npos ? text.size() : end) - start);
      if (line.starts_with(prefix)) {
        return std::string(line);
      }
      start = end == std::string::npos ? text.size() : end + 1;
    }
    return {};
  }

  static std::unique_ptr<testing::MotoServer> moto_;
  obs::Metrics metrics_{"aws-test"};
  AwsMetrics aws_metrics_{metrics_};
};

std::unique_ptr<testing::MotoServer> AwsClientsTest::moto_;

TEST_F(AwsClientsTest, ProvisionsTheQueueWithADeadLetterQueueAndRedrivePolicy) {
  SqsClient sqs(moto(), aws_metrics_);
  const std::string name = "events-a";
  const std::vector<std::string> wanted{"RedrivePolicy"};
  auto attributes = run<SqsClient::Attributes>([&]() -> asio::awaitable<SqsClient::Attributes> {
    auto url = co_await provision_queue(sqs, name, kMaxReceiveCount);
    EXPECT_TRUE(url.ok()) << url.error.code << ": " << url.error.message;
    // Twice: provisioning is idempotent.
    auto again = co_await provision_queue(sqs, name, kMaxReceiveCount);
    EXPECT_TRUE(again.ok()) << again.error.code << ": " << again.error.message;
    EXPECT_EQ(*again.value, *url.value);
    auto found = co_await sqs.get_queue_url(name);
    EXPECT_EQ(*found.value, *url.value);
    auto read = co_await sqs.get_queue_attributes(*url.value, wanted);
    co_return read.value.value_or(SqsClient::Attributes{});
  });
  ASSERT_TRUE(attributes.contains("RedrivePolicy"));
  auto policy = json::parse(attributes["RedrivePolicy"]).as_object();
  // We send "5"; moto answers the number 5.
  const auto& count = policy["maxReceiveCount"];
  EXPECT_EQ(count.is_string() ? std::string(count.as_string()) : json::serialize(count), "5");
  EXPECT_TRUE(std::string(policy["deadLetterTargetArn"].as_string()).ends_with(":events-a-dlq"));
}

TEST_F(AwsClientsTest, SendsReceivesAndDeletesABatchOfTen) {
  SqsClient sqs(moto(), aws_metrics_);
  const std::string name = "events-b";
  std::vector<sqs::OutgoingMessage> batch;
  batch.reserve(10);
  for (int i = 0; i < 10; ++i) {
    batch.push_back({"m" + std::to_string(i),
                     R"({"event_id":")" + std::to_string(i) + "\"}",
                     {{"event_type", "student_created"}}});
  }
  run<int>([&]() -> asio::awaitable<int> {
    auto url = co_await provision_queue(sqs, name, kMaxReceiveCount);
    EXPECT_TRUE(url.ok());
    auto sent = co_await sqs.send_message_batch(*url.value, batch);
    EXPECT_TRUE(sent.ok()) << sent.error.message;
    EXPECT_EQ(sent.value->succeeded.size(), 10U);
    EXPECT_TRUE(sent.value->failed.empty());

    std::vector<sqs::ReceivedMessage> received;
    for (int tries = 0; tries < 5 && received.size() < 10; ++tries) {
      auto some = co_await sqs.receive_message(*url.value, 10, 1, 30);
      EXPECT_TRUE(some.ok()) << some.error.message;
      received.insert(received.end(), some.value->begin(), some.value->end());
    }
    EXPECT_EQ(received.size(), 10U);
    EXPECT_EQ(received.front().string_attributes.at("event_type"), "student_created");
    EXPECT_EQ(received.front().receive_count, 1);

    auto visibility =
        co_await sqs.change_message_visibility(*url.value, received.front().receipt_handle, 60);
    EXPECT_TRUE(visibility.ok()) << visibility.error.message;

    std::vector<sqs::DeleteEntry> deletes;
    for (std::size_t i = 0; i < received.size(); ++i) {
      deletes.push_back({"d" + std::to_string(i), received[i].receipt_handle});
    }
    auto deleted = co_await sqs.delete_message_batch(*url.value, deletes);
    EXPECT_TRUE(deleted.ok());
    EXPECT_EQ(deleted.value->succeeded.size(), 10U);
    co_return 0;
  });
  EXPECT_NE(
      metric_line(
          R"(aws_requests_total{operation="SendMessageBatch",outcome="success",service="sqs"} 1)"),
      "");
}

TEST_F(AwsClientsTest, AnUnknownQueueIsANonRetryableClientError) {
  SqsClient sqs(moto(), aws_metrics_);
  const std::string name = "nope";
  auto result = run<Result<std::string>>([&]() -> asio::awaitable<Result<std::string>> {
    co_return co_await sqs.get_queue_url(name);
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.code, "QueueDoesNotExist");
  EXPECT_EQ(result.error.http_status, 400);
  EXPECT_FALSE(result.error.retryable);
  EXPECT_NE(
      metric_line(
          R"(aws_requests_total{operation="GetQueueUrl",outcome="client_error",service="sqs"} 1)"),
      "");
}

TEST_F(AwsClientsTest, NoServerIsARetryableTransportError) {
  SqsClient sqs(address(std::to_string(testing::free_loopback_port())), aws_metrics_);
  const std::string name = "q";
  auto result = run<Result<std::string>>([&]() -> asio::awaitable<Result<std::string>> {
    co_return co_await sqs.get_queue_url(name);
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.code, "Transport");
  EXPECT_TRUE(result.error.retryable);
  EXPECT_NE(
      metric_line(
          R"(aws_requests_total{operation="GetQueueUrl",outcome="transport_error",service="sqs"} 1)"),
      "");
  EXPECT_NE(
      metric_line(R"(aws_request_duration_seconds_count{operation="GetQueueUrl",service="sqs"} 1)"),
      "");
}

TEST_F(AwsClientsTest, ProvisionsTheAuditTableAndWritesAndQueriesItems) {
  DynamoDbClient dynamodb(moto(), aws_metrics_);
  const auto schema = audit_table_schema("audit-a");
  DynamoDbClient::Items batch;
  batch.reserve(25);
  for (int i = 0; i < 25; ++i) {
    batch.push_back(json::object{
        {"id", "audit-" + std::to_string(i)},
        {"timestamp", fmt::format("2026-01-01T00:00:{:02}.000000Z", i)},
        {"student_id", i % 2 == 0 ? "STU-EVEN0000" : "STU-ODD00000"},
        {"details", json::object{{"before", nullptr}, {"after", json::object{{"grade", i}}}}}});
  }
  const json::object newest{{"id", "audit-x"},
                            {"timestamp", "2026-01-01T00:01:00.000000Z"},
                            {"student_id", "STU-EVEN0000"}};
  const DynamoDbClient::IndexQuery query{schema.name, schema.index_name, "student_id",
                                         "STU-EVEN0000", 100};
  auto items = run<DynamoDbClient::Items>([&]() -> asio::awaitable<DynamoDbClient::Items> {
    auto table = co_await provision_table(dynamodb, schema, 10s, 100ms);
    EXPECT_TRUE(table.ok()) << table.error.code << ": " << table.error.message;
    auto again = co_await provision_table(dynamodb, schema, 10s, 100ms);
    EXPECT_TRUE(again.ok()) << again.error.code << ": " << again.error.message;
    auto ttl = co_await dynamodb.describe_time_to_live(schema.name);
    EXPECT_TRUE(ttl.ok()) << ttl.error.message;
    EXPECT_EQ(ttl.value.value_or(dynamodb::TimeToLive{}).status, "ENABLED");
    EXPECT_EQ(ttl.value.value_or(dynamodb::TimeToLive{}).attribute, "expires_at");
    auto written = co_await dynamodb.batch_write_item(schema.name, batch);
    EXPECT_TRUE(written.ok()) << written.error.message;
    EXPECT_TRUE(written.value->empty());
    auto put = co_await dynamodb.put_item(schema.name, newest);
    EXPECT_TRUE(put.ok()) << put.error.message;
    auto found = co_await dynamodb.query_index(query);
    EXPECT_TRUE(found.ok()) << found.error.message;
    co_return found.value.value_or(DynamoDbClient::Items{});
  });
  ASSERT_EQ(items.size(), 14U);                              // 13 even of the batch, and the put
  EXPECT_EQ(items.front().at("id").as_string(), "audit-x");  // newest first
  EXPECT_EQ(items.back().at("id").as_string(), "audit-0");
  EXPECT_EQ(items.back().at("details").at("after").at("grade").as_int64(), 0);
  EXPECT_TRUE(items.back().at("details").at("before").is_null());
}

TEST_F(AwsClientsTest, AMissingTableIsANonRetryableClientError) {
  DynamoDbClient dynamodb(moto(), aws_metrics_);
  const std::string table = "no-such-table";
  auto result = run<Result<std::string>>([&]() -> asio::awaitable<Result<std::string>> {
    co_return co_await dynamodb.describe_table(table);
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.code, "ResourceNotFoundException");
  EXPECT_FALSE(result.error.retryable);
}

}  // namespace
}  // namespace sre::aws
