// The DynamoDB operations we use, as JSON-protocol bodies to send and answers to read. Pure:
// the DynamoDB client (transport, retries, metrics) is built on top of these.
//
// Items are plain JSON objects on our side and DynamoDB's typed attribute values on the wire:
//   "x" -> {"S":"x"}   7 -> {"N":"7"}   true -> {"BOOL":true}   null -> {"NULL":true}
//   [..] -> {"L":[..]} {..} -> {"M":{..}}
// Answers that do not have the documented shape throw std::invalid_argument.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sre::aws::dynamodb {

// X-Amz-Target of an operation: "DynamoDB_20120810.PutItem".
std::string target(std::string_view operation);

// BatchWriteItem takes at most 25 items per call.
inline constexpr std::size_t kMaxBatchWriteItems = 25;

// Plain JSON <-> DynamoDB attribute values (numbers travel as decimal text both ways).
boost::json::value to_attribute_value(const boost::json::value& plain);
boost::json::value from_attribute_value(const boost::json::value& typed);
boost::json::object to_item(const boost::json::object& plain);
boost::json::object from_item(const boost::json::object& typed);

// A table with a string hash key and a string range key, plus one global secondary index
// (string hash, same range key, all attributes projected), billed per request, and Time to
// Live on `ttl_attribute` (a Number of seconds since the epoch; empty: no TTL).
struct TableSchema {
  std::string name;
  std::string hash_key;
  std::string range_key;
  std::string index_name;
  std::string index_hash_key;
  std::string ttl_attribute;
};

// What DescribeTimeToLive says: status ENABLED, ENABLING, DISABLED or DISABLING, and the
// attribute (empty while DISABLED).
struct TimeToLive {
  std::string status;
  std::string attribute;
};

std::string create_table_body(const TableSchema& schema);
std::string describe_table_body(std::string_view table);
std::string describe_time_to_live_body(std::string_view table);
// Turns TTL on for `attribute` (DynamoDB refuses this while TTL is already on).
std::string update_time_to_live_body(std::string_view table, std::string_view attribute);
std::string put_item_body(std::string_view table, const boost::json::object& plain_item);
std::string batch_write_item_body(std::string_view table,
                                  const std::vector<boost::json::object>& plain_items);
// Newest first: the items of the index whose hash key equals `value`, by descending range key.
std::string query_index_body(std::string_view table, std::string_view index,
                             std::string_view hash_key, std::string_view value, int limit);

// "ACTIVE" once the table and all its indexes are ready ("CREATING" before).
std::string parse_table_status(std::string_view answer);
TimeToLive parse_time_to_live(std::string_view answer);
// The items DynamoDB did not write (throttled): send them again, after a backoff.
std::vector<boost::json::object> parse_unprocessed_items(std::string_view answer,
                                                         std::string_view table);
std::vector<boost::json::object> parse_query_items(std::string_view answer);

}  // namespace sre::aws::dynamodb
