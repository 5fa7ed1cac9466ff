#include "aws/provisioning.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.h"

namespace sre::aws {

namespace asio = boost::asio;

namespace {

// Log lines are written outside the coroutines: g++ 12 miscompiles a braced list of fields
// in a coroutine body ("array used as initializer").
void log_queue_provisioned(const std::string& name, const std::string& url,
                           const std::string& dead_letter, int max_receive_count) {
  log::info("sqs queue provisioned", {{"queue", name},
                                      {"queue_url", url},
                                      {"dead_letter_queue", dead_letter},
                                      {"max_receive_count", max_receive_count}});
}

void log_table_provisioned(const dynamodb::TableSchema& schema) {
  log::info("dynamodb table provisioned", {{"table", schema.name},
                                           {"index", schema.index_name},
                                           {"ttl_attribute", schema.ttl_attribute}});
}

void log_ttl_elsewhere(const dynamodb::TableSchema& schema, const dynamodb::TimeToLive& ttl) {
  log::warn("dynamodb table has TTL on another attribute: its records do not expire",
            {{"table", schema.name},
             {"ttl_attribute", ttl.attribute},
             {"wanted", schema.ttl_attribute},
             {"ttl_status", ttl.status}});
}

// TTL on the schema's attribute, unless it is on (or being turned on) already: DynamoDB
// refuses to turn it on twice.
asio::awaitable<Result<Done>> ensure_time_to_live(DynamoDbClient& dynamodb,
                                                  const dynamodb::TableSchema& schema) {
  auto ttl = co_await dynamodb.describe_time_to_live(schema.name);
  if (!ttl.ok()) {
    co_return Result<Done>::failure(std::move(ttl.error));
  }
  if (ttl.value->status == "DISABLED") {
    co_return co_await dynamodb.update_time_to_live(schema.name, schema.ttl_attribute);
  }
  if (ttl.value->attribute != schema.ttl_attribute) {
    log_ttl_elsewhere(schema, *ttl.value);
  }
  co_return Result<Done>{Done{}, {}};
}

}  // namespace

std::string dead_letter_queue_name(std::string_view queue) {
  return std::string(queue) + "-dlq";
}

dynamodb::TableSchema audit_table_schema(std::string table) {
  return {.name = std::move(table),
          .hash_key = "id",
          .range_key = "timestamp",
          .index_name = "student_id-index",
          .index_hash_key = "student_id",
          .ttl_attribute = std::string(kAuditExpiresAt)};
}

// Every argument of a client call is a named local (see the clients' g++ 12 note).
asio::awaitable<Result<std::string>> provision_queue(SqsClient& sqs, const std::string& name,
                                                     int max_receive_count) {
  const std::string dead_letter = dead_letter_queue_name(name);
  const SqsClient::Attributes none;
  auto dead_letter_url = co_await sqs.create_queue(dead_letter, none);
  if (!dead_letter_url.ok()) {
    co_return dead_letter_url;
  }
  const std::vector<std::string> arn_attribute{"QueueArn"};
  auto arn = co_await sqs.get_queue_attributes(*dead_letter_url.value, arn_attribute);
  if (!arn.ok()) {
    co_return Result<std::string>::failure(std::move(arn.error));
  }
  auto found = arn.value->find("QueueArn");
  if (found == arn.value->end()) {
    co_return Result<std::string>::failure(
        AwsError{200, "InvalidAnswer", "GetQueueAttributes answered no QueueArn", false});
  }
  // Created without attributes and then set, so a queue that exists with an older policy is
  // brought up to date instead of refused (CreateQueue fails on differing attributes).
  auto created = co_await sqs.create_queue(name, none);
  if (!created.ok()) {
    co_return created;
  }
  auto url = co_await sqs.get_queue_url(name);
  if (!url.ok()) {
    co_return url;
  }
  const SqsClient::Attributes redrive{
      {"RedrivePolicy", sqs::redrive_policy(found->second, max_receive_count)}};
  auto policy = co_await sqs.set_queue_attributes(*url.value, redrive);
  if (!policy.ok()) {
    co_return Result<std::string>::failure(std::move(policy.error));
  }
  log_queue_provisioned(name, *url.value, dead_letter, max_receive_count);
  co_return url;
}

asio::awaitable<Result<Done>> provision_table(DynamoDbClient& dynamodb,
                                              const dynamodb::TableSchema& schema,
                                              std::chrono::milliseconds wait,
                                              std::chrono::milliseconds poll) {
  auto created = co_await dynamodb.create_table(schema);
  if (!created.ok() && created.error.code != "ResourceInUseException") {
    co_return created;
  }
  const auto give_up = std::chrono::steady_clock::now() + wait;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    auto status = co_await dynamodb.describe_table(schema.name);
    if (!status.ok()) {
      co_return Result<Done>::failure(std::move(status.error));
    }
    if (*status.value == "ACTIVE") {
      break;
    }
    if (std::chrono::steady_clock::now() + poll > give_up) {
      co_return Result<Done>::failure(AwsError{
          200, "TableNotActive", "table " + schema.name + " is still " + *status.value, true});
    }
    timer.expires_after(poll);
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (!schema.ttl_attribute.empty()) {
    auto ttl = co_await ensure_time_to_live(dynamodb, schema);
    if (!ttl.ok()) {
      co_return ttl;
    }
  }
  log_table_provisioned(schema);
  co_return Result<Done>{Done{}, {}};
}

}  // namespace sre::aws
