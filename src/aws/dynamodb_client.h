// The DynamoDB client: the operations of dynamodb_protocol.h sent over one ServiceConnection.
// Each method is ONE call (see aws_call.h). Items are plain JSON objects on our side.
// Arguments are taken by reference and must outlive the call (named locals of the caller:
// g++ 12 miscompiles coroutines that take temporaries by value, see README).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "aws/aws_call.h"
#include "aws/dynamodb_protocol.h"

namespace sre::aws {

class DynamoDbClient {
 public:
  DynamoDbClient(ServiceAddress address, AwsMetrics& metrics);

  using Items = std::vector<boost::json::object>;

  // Creating a table that exists fails with ResourceInUseException.
  boost::asio::awaitable<Result<Done>> create_table(const dynamodb::TableSchema& schema);
  // "ACTIVE" once the table and its indexes are ready.
  boost::asio::awaitable<Result<std::string>> describe_table(const std::string& table);
  boost::asio::awaitable<Result<dynamodb::TimeToLive>> describe_time_to_live(
      const std::string& table);
  // Turning TTL on while it is on (or being turned on) fails with a ValidationException.
  boost::asio::awaitable<Result<Done>> update_time_to_live(const std::string& table,
                                                           const std::string& attribute);
  boost::asio::awaitable<Result<Done>> put_item(const std::string& table,
                                                const boost::json::object& item);
  // At most dynamodb::kMaxBatchWriteItems items; returns those DynamoDB did not write
  // (UnprocessedItems): send them again after a backoff.
  boost::asio::awaitable<Result<Items>> batch_write_item(const std::string& table,
                                                         const Items& items);
  // The items of `index` whose `hash_key` is `value`, newest first (descending range key).
  struct IndexQuery {
    std::string table;
    std::string index;
    std::string hash_key;
    std::string value;
    int limit = 100;
  };
  boost::asio::awaitable<Result<Items>> query_index(const IndexQuery& query);

 private:
  ServiceConnection connection_;
  AwsMetrics::Operation& create_table_;
  AwsMetrics::Operation& describe_table_;
  AwsMetrics::Operation& describe_time_to_live_;
  AwsMetrics::Operation& update_time_to_live_;
  AwsMetrics::Operation& put_item_;
  AwsMetrics::Operation& batch_write_item_;
  AwsMetrics::Operation& query_;
};

}  // namespace sre::aws
