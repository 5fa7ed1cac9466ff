#include "aws/dynamodb_protocol.h"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "aws/json_protocol.h"

namespace sre::aws::dynamodb {
namespace json = boost::json;
namespace {

const json::object& object_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_object()) {
    throw std::invalid_argument(fmt::format("DynamoDB answer lacks the object {}", name));
  }
  return value->as_object();
}

// Numbers travel as decimal text; a double as the shortest text that reads back the same
// (fmt's "{}"), so 1.5 is "1.5", not the "1.5E0" that Boost.JSON would write.
std::string number_text(const json::value& number) {
  if (number.is_double()) {
    return fmt::format("{}", number.as_double());
  }
  return json::serialize(number);
}

json::value number_from_text(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_number()) {
    throw std::invalid_argument(fmt::format("DynamoDB number '{}' is not a number", text));
  }
  return value;
}

json::object key_attribute(std::string_view name) {
  return {{"AttributeName", name}, {"AttributeType", "S"}};
}

json::array key_schema(std::string_view hash, std::string_view range) {
  return {json::object{{"AttributeName", hash}, {"KeyType", "HASH"}},
          json::object{{"AttributeName", range}, {"KeyType", "RANGE"}}};
}

std::vector<json::object> items_of(const json::array& typed_items) {
  std::vector<json::object> out;
  out.reserve(typed_items.size());
  for (const auto& item : typed_items) {
    if (!item.is_object()) {
      throw std::invalid_argument("DynamoDB answer has an item that is not an object");
    }
    out.push_back(from_item(item.as_object()));
  }
  return out;
}

}  // namespace

std::string target(std::string_view operation) {
  return "DynamoDB_20120810." + std::string(operation);
}

json::value to_attribute_value(const json::value& plain) {
  switch (plain.kind()) {
    case json::kind::string:
      return json::object{{"S", plain.as_string()}};
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return json::object{{"N", number_text(plain)}};
    case json::kind::bool_:
      return json::object{{"BOOL", plain.as_bool()}};
    case json::kind::null:
      return json::object{{"NULL", true}};
    case json::kind::array: {
      json::array list;
      for (const auto& element : plain.as_array()) {
        list.push_back(to_attribute_value(element));
      }
      return json::object{{"L", std::move(list)}};
    }
    case json::kind::object:
      return json::object{{"M", to_item(plain.as_object())}};
  }
  throw std::invalid_argument("unknown JSON kind");
}

json::value from_attribute_value(const json::value& typed) {
  if (!typed.is_object() || typed.as_object().size() != 1) {
    throw std::invalid_argument("a DynamoDB attribute value is an object with one type key");
  }
  const auto& [type, value] = *typed.as_object().begin();
  if (type == "S" && value.is_string()) {
    return value;
  }
  if (type == "N" && value.is_string()) {
    return number_from_text(value.as_string());
  }
  if (type == "BOOL" && value.is_bool()) {
    return value;
  }
  if (type == "NULL") {
    return nullptr;
  }
  if (type == "L" && value.is_array()) {
    json::array list;
    for (const auto& element : value.as_array()) {
      list.push_back(from_attribute_value(element));
    }
    return list;
  }
  if (type == "M" && value.is_object()) {
    return from_item(value.as_object());
  }
  throw std::invalid_argument(fmt::format("unsupported DynamoDB attribute type '{}'", type));
}

json::object to_item(const json::object& plain) {
  json::object typed;
  for (const auto& [name, value] : plain) {
    typed[name] = to_attribute_value(value);
  }
  return typed;
}

json::object from_item(const json::object& typed) {
  json::object plain;
  for (const auto& [name, value] : typed) {
    plain[name] = from_attribute_value(value);
  }
  return plain;
}

std::string create_table_body(const TableSchema& schema) {
  return json::serialize(json::object{
      {"TableName", schema.name},
      {"BillingMode", "PAY_PER_REQUEST"},
      {"AttributeDefinitions",
       json::array{key_attribute(schema.hash_key), key_attribute(schema.range_key),
                   key_attribute(schema.index_hash_key)}},
      {"KeySchema", key_schema(schema.hash_key, schema.range_key)},
      {"GlobalSecondaryIndexes",
       json::array{json::object{{"IndexName", schema.index_name},
                                {"KeySchema", key_schema(schema.index_hash_key, schema.range_key)},
                                {"Projection", json::object{{"ProjectionType", "ALL"}}}}}},
  });
}

std::string describe_table_body(std::string_view table) {
  return json::serialize(json::object{{"TableName", table}});
}

std::string describe_time_to_live_body(std::string_view table) {
  return describe_table_body(table);
}

std::string update_time_to_live_body(std::string_view table, std::string_view attribute) {
  return json::serialize(json::object{
      {"TableName", table},
      {"TimeToLiveSpecification", json::object{{"AttributeName", attribute}, {"Enabled", true}}},
  });
}

std::string put_item_body(std::string_view table, const json::object& plain_item) {
  return json::serialize(json::object{{"TableName", table}, {"Item", to_item(plain_item)}});
}

std::string batch_write_item_body(std::string_view table,
                                  const std::vector<json::object>& plain_items) {
  json::array requests;
  for (const auto& item : plain_items) {
    requests.emplace_back(json::object{{"PutRequest", json::object{{"Item", to_item(item)}}}});
  }
  json::object request_items;
  request_items[table] = std::move(requests);
  return json::serialize(json::object{{"RequestItems", std::move(request_items)}});
}

std::string query_index_body(std::string_view table, std::string_view index,
                             std::string_view hash_key, std::string_view value, int limit) {
  // Attribute names go through a placeholder: "timestamp" and others are reserved words.
  return json::serialize(json::object{
      {"TableName", table},
      {"IndexName", index},
      {"KeyConditionExpression", "#k = :v"},
      {"ExpressionAttributeNames", json::object{{"#k", hash_key}}},
      {"ExpressionAttributeValues", json::object{{":v", json::object{{"S", value}}}}},
      {"ScanIndexForward", false},
      {"Limit", limit},
  });
}

std::string parse_table_status(std::string_view answer) {
  auto object = parse_answer(answer, "DynamoDB");
  const auto& table = object_field(object, "Table");
  const auto* status = table.if_contains("TableStatus");
  if (status == nullptr || !status->is_string()) {
    throw std::invalid_argument("DynamoDB answer lacks Table.TableStatus");
  }
  // The index must be ready too before it can be queried.
  if (const auto* indexes = table.if_contains("GlobalSecondaryIndexes");
      indexes != nullptr && indexes->is_array()) {
    for (const auto& index : indexes->as_array()) {
      const auto* index_status =
          index.is_object() ? index.as_object().if_contains("IndexStatus") : nullptr;
      if (index_status != nullptr && index_status->is_string() &&
          index_status->as_string() != "ACTIVE") {
        return std::string(index_status->as_string());
      }
    }
  }
  return std::string(status->as_string());
}

TimeToLive parse_time_to_live(std::string_view answer) {
  auto object = parse_answer(answer, "DynamoDB");
  const auto& description = object_field(object, "TimeToLiveDescription");
  const auto* status = description.if_contains("TimeToLiveStatus");
  if (status == nullptr || !status->is_string()) {
    throw std::invalid_argument("DynamoDB answer lacks TimeToLiveDescription.TimeToLiveStatus");
  }
  const auto* attribute = description.if_contains("AttributeName");
  return {std::string(status->as_string()), attribute != nullptr && attribute->is_string()
                                                ? std::string(attribute->as_string())
                                                : std::string()};
}

std::vector<json::object> parse_unprocessed_items(std::string_view answer, std::string_view table) {
  auto object = parse_answer(answer, "DynamoDB");
  const auto* unprocessed = object.if_contains("UnprocessedItems");
  if (unprocessed == nullptr || !unprocessed->is_object()) {
    return {};
  }
  const auto* requests = unprocessed->as_object().if_contains(table);
  if (requests == nullptr || !requests->is_array()) {
    return {};
  }
  json::array typed_items;
  for (const auto& request : requests->as_array()) {
    const auto* put = request.is_object() ? request.as_object().if_contains("PutRequest") : nullptr;
    if (put == nullptr || !put->is_object()) {
      throw std::invalid_argument("DynamoDB unprocessed request is not a PutRequest");
    }
    typed_items.push_back(object_field(put->as_object(), "Item"));
  }
  return items_of(typed_items);
}

std::vector<json::object> parse_query_items(std::string_view answer) {
  auto object = parse_answer(answer, "DynamoDB");
  const auto* items = object.if_contains("Items");
  if (items == nullptr) {
    return {};
  }
  if (!items->is_array()) {
    throw std::invalid_argument("DynamoDB answer's Items is not an array");
  }
  return items_of(items->as_array());
}

}  // namespace sre::aws::dynamodb
