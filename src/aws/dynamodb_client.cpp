#include "aws/dynamodb_client.h"

#include "aws/answer.h"

namespace sre::aws {

namespace asio = boost::asio;

DynamoDbClient::DynamoDbClient(ServiceAddress address, AwsMetrics& metrics)
    : connection_(std::move(address), "dynamodb", "DynamoDB_20120810", metrics),
      create_table_(connection_.operation("CreateTable")),
      describe_table_(connection_.operation("DescribeTable")),
      describe_time_to_live_(connection_.operation("DescribeTimeToLive")),
      update_time_to_live_(connection_.operation("UpdateTimeToLive")),
      put_item_(connection_.operation("PutItem")),
      batch_write_item_(connection_.operation("BatchWriteItem")),
      query_(connection_.operation("Query")) {}

// Each call binds its body and its answer to named locals (see the header's g++ 12 note).

asio::awaitable<Result<Done>> DynamoDbClient::create_table(const dynamodb::TableSchema& schema) {
  const std::string body = dynamodb::create_table_body(schema);
  auto answer = co_await connection_.call(create_table_, body);
  co_return done(std::move(answer));
}

asio::awaitable<Result<std::string>> DynamoDbClient::describe_table(const std::string& table) {
  const std::string body = dynamodb::describe_table_body(table);
  auto answer = co_await connection_.call(describe_table_, body);
  co_return read_answer(std::move(answer), dynamodb::parse_table_status);
}

asio::awaitable<Result<dynamodb::TimeToLive>> DynamoDbClient::describe_time_to_live(
    const std::string& table) {
  const std::string body = dynamodb::describe_time_to_live_body(table);
  auto answer = co_await connection_.call(describe_time_to_live_, body);
  co_return read_answer(std::move(answer), dynamodb::parse_time_to_live);
}

asio::awaitable<Result<Done>> DynamoDbClient::update_time_to_live(const std::string& table,
                                                                  const std::string& attribute) {
  const std::string body = dynamodb::update_time_to_live_body(table, attribute);
  auto answer = co_await connection_.call(update_time_to_live_, body);
  co_return done(std::move(answer));
}

asio::awaitable<Result<Done>> DynamoDbClient::put_item(const std::string& table,
                                                       const boost::json::object& item) {
  const std::string body = dynamodb::put_item_body(table, item);
  auto answer = co_await connection_.call(put_item_, body);
  co_return done(std::move(answer));
}

asio::awaitable<Result<DynamoDbClient::Items>> DynamoDbClient::batch_write_item(
    const std::string& table, const Items& items) {
  const std::string body = dynamodb::batch_write_item_body(table, items);
  auto answer = co_await connection_.call(batch_write_item_, body);
  co_return read_answer(std::move(answer), [&table](std::string_view text) {
    return dynamodb::parse_unprocessed_items(text, table);
  });
}

asio::awaitable<Result<DynamoDbClient::Items>> DynamoDbClient::query_index(
    const IndexQuery& query) {
  const std::string body = dynamodb::query_index_body(query.table, query.index, query.hash_key,
                                                      query.value, query.limit);
  auto answer = co_await connection_.call(query_, body);
  co_return read_answer(std::move(answer), dynamodb::parse_query_items);
}

}  // namespace sre::aws
