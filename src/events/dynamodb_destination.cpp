#include "events/dynamodb_destination.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <map>
#include <set>

#include "aws/provisioning.h"
#include "events/audit_expiry.h"
#include "resilience/backoff.h"

namespace sre::events {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto kTableWait = std::chrono::seconds(60);
constexpr auto kTablePoll = std::chrono::milliseconds(250);
constexpr resilience::BackoffPolicy kUnprocessedBackoff{std::chrono::milliseconds(50),
                                                        std::chrono::milliseconds(400)};

std::string id_of(const json::object& item) {
  const auto* id = item.if_contains("id");
  return id != nullptr && id->is_string() ? std::string(id->as_string()) : std::string();
}

}  // namespace

DynamoDbDestination::DynamoDbDestination(aws::DynamoDbClient& dynamodb, std::string table,
                                         bool provision, int batch_size,
                                         std::chrono::days retention)
    : dynamodb_(dynamodb),
      schema_(aws::audit_table_schema(std::move(table))),
      provision_(provision),
      batch_size_(batch_size),
      retention_(retention) {}

asio::awaitable<aws::Result<aws::Done>> DynamoDbDestination::prepare() {
  if (provision_) {
    co_return co_await aws::provision_table(dynamodb_, schema_, kTableWait, kTablePoll);
  }
  auto status = co_await dynamodb_.describe_table(schema_.name);
  if (!status.ok()) {
    co_return aws::Result<aws::Done>::failure(std::move(status.error));
  }
  if (*status.value != "ACTIVE") {
    co_return aws::Result<aws::Done>::failure(aws::AwsError{
        200, "TableNotActive", "table " + schema_.name + " is " + *status.value, true});
  }
  co_return aws::Result<aws::Done>{aws::Done{}, {}};
}

asio::awaitable<Delivery> DynamoDbDestination::deliver(
    const std::vector<store::OutboxMessage>& batch) {
  Delivery delivery;
  aws::DynamoDbClient::Items items;
  std::map<std::string, std::int64_t, std::less<>> sequence_by_id;
  for (const auto& row : batch) {
    boost::system::error_code ec;
    auto record = json::parse(row.body, ec);
    if (ec || !record.is_object() || id_of(record.as_object()).empty()) {
      delivery.refused.emplace_back(row.sequence, "audit record is not a JSON object with an id");
      continue;
    }
    json::object& item = record.as_object();
    if (retention_.count() > 0) {
      const auto* timestamp = item.if_contains(schema_.range_key);
      auto expires_at = timestamp != nullptr && timestamp->is_string()
                            ? audit_expires_at(timestamp->as_string(), retention_)
                            : std::nullopt;
      if (!expires_at) {
        delivery.refused.emplace_back(row.sequence, "audit record has no RFC 3339 UTC timestamp");
        continue;
      }
      item[schema_.ttl_attribute] = *expires_at;
    }
    sequence_by_id.emplace(id_of(item), row.sequence);
    items.push_back(std::move(item));
  }

  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int call = 0; !items.empty(); ++call) {
    auto written = co_await dynamodb_.batch_write_item(schema_.name, items);
    if (!written.ok()) {
      for (const auto& item : items) {
        delivery.failed.push_back(sequence_by_id.at(id_of(item)));
      }
      delivery.call_error = std::move(written.error);
      break;
    }
    std::set<std::string, std::less<>> unprocessed;
    for (const auto& item : *written.value) {
      unprocessed.insert(id_of(item));
    }
    for (const auto& item : items) {
      if (!unprocessed.contains(id_of(item))) {
        delivery.delivered.push_back(sequence_by_id.at(id_of(item)));
      }
    }
    items = std::move(*written.value);
    if (items.empty()) {
      break;
    }
    if (call == kUnprocessedRetries) {
      for (const auto& item : items) {
        delivery.failed.push_back(sequence_by_id.at(id_of(item)));
      }
      break;
    }
    timer.expires_after(
        resilience::equal_jitter_backoff(kUnprocessedBackoff, call, resilience::thread_random01()));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return delivery;
}

}  // namespace sre::events
