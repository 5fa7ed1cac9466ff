#include "aws/dynamodb_protocol.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace sre::aws::dynamodb {
namespace {

namespace json = boost::json;

json::value parsed(std::string_view text) {
  return json::parse(text);
}

TableSchema audit_table() {
  return {"sre-playground-audit",       "id",         "timestamp",
          "student_id-timestamp-index", "student_id", "expires_at"};
}

TEST(DynamoDbProtocol, TargetNamesTheOperation) {
  EXPECT_EQ(target("PutItem"), "DynamoDB_20120810.PutItem");
}

TEST(DynamoDbProtocol, PlainJsonBecomesTypedAttributeValues) {
  auto item = to_item(parsed(R"({"s":"x","n":7,"f":1.5,"neg":-3,"b":true,"z":null,
                                 "l":["a",1],"m":{"before":{"grade":6}}})")
                          .as_object());
  EXPECT_EQ(json::value(item), parsed(R"({"s":{"S":"x"},"n":{"N":"7"},"f":{"N":"1.5"},
      "neg":{"N":"-3"},"b":{"BOOL":true},"z":{"NULL":true},"l":{"L":[{"S":"a"},{"N":"1"}]},
      "m":{"M":{"before":{"M":{"grade":{"N":"6"}}}}}})"));
}

TEST(DynamoDbProtocol, TypedItemsReadBackToTheSamePlainJson) {
  auto plain = parsed(R"({"s":"x","n":7,"f":1.5,"b":false,"z":null,"l":["a",{"k":2}],
                          "m":{"after":{"grade":12,"first_name":"Ada"}}})")
                   .as_object();
  EXPECT_EQ(from_item(to_item(plain)), plain);
}

TEST(DynamoDbProtocol, UnsupportedOrMalformedAttributeValuesThrow) {
  EXPECT_THROW(from_attribute_value(parsed(R"({"SS":["a"]})")), std::invalid_argument);
  EXPECT_THROW(from_attribute_value(parsed(R"({"S":"a","N":"1"})")), std::invalid_argument);
  EXPECT_THROW(from_attribute_value(parsed(R"({"N":"seven"})")), std::invalid_argument);
  EXPECT_THROW(from_attribute_value(parsed(R"("bare")")), std::invalid_argument);
}

TEST(DynamoDbProtocol, CreateTableHasKeysIndexAndOnDemandBilling) {
  EXPECT_EQ(parsed(create_table_body(audit_table())), parsed(R"({
    "TableName":"sre-playground-audit","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},
                            {"AttributeName":"timestamp","AttributeType":"S"},
                            {"AttributeName":"student_id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"timestamp","KeyType":"RANGE"}],
    "GlobalSecondaryIndexes":[{"IndexName":"student_id-timestamp-index",
      "KeySchema":[{"AttributeName":"student_id","KeyType":"HASH"},{"AttributeName":"timestamp","KeyType":"RANGE"}],
      "Projection":{"ProjectionType":"ALL"}}]})"));
}

TEST(DynamoDbProtocol, PutAndBatchWriteBodies) {
  auto item = parsed(R"({"id":"a1","timestamp":"t","grade":7})").as_object();
  EXPECT_EQ(parsed(put_item_body("audit", item)),
            parsed(R"({"TableName":"audit","Item":{"id":{"S":"a1"},"timestamp":{"S":"t"},
                       "grade":{"N":"7"}}})"));
  EXPECT_EQ(parsed(batch_write_item_body("audit", {item, item})),
            parsed(R"({"RequestItems":{"audit":[
              {"PutRequest":{"Item":{"id":{"S":"a1"},"timestamp":{"S":"t"},"grade":{"N":"7"}}}},
              {"PutRequest":{"Item":{"id":{"S":"a1"},"timestamp":{"S":"t"},"grade":{"N":"7"}}}}]}})"));
}

TEST(DynamoDbProtocol, TimeToLiveIsTurnedOnForOneAttributeAndReadBack) {
  EXPECT_EQ(parsed(describe_time_to_live_body("audit")), parsed(R"({"TableName":"audit"})"));
  EXPECT_EQ(parsed(update_time_to_live_body("audit", "expires_at")),
            parsed(R"({"TableName":"audit","TimeToLiveSpecification":
                       {"AttributeName":"expires_at","Enabled":true}})"));
  auto on = parse_time_to_live(R"({"TimeToLiveDescription":
      {"TimeToLiveStatus":"ENABLED","AttributeName":"expires_at"}})");
  EXPECT_EQ(on.status, "ENABLED");
  EXPECT_EQ(on.attribute, "expires_at");
  auto off = parse_time_to_live(R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})");
  EXPECT_EQ(off.status, "DISABLED");
  EXPECT_EQ(off.attribute, "");
  EXPECT_THROW(parse_time_to_live(R"({"TimeToLiveDescription":{}})"), std::invalid_argument);
}

TEST(DynamoDbProtocol, QueryIsNewestFirstWithPlaceholders) {
  EXPECT_EQ(parsed(query_index_body("audit", "student_id-timestamp-index", "student_id",
                                    "STU-1A2B3C4D", 50)),
            parsed(R"({"TableName":"audit","IndexName":"student_id-timestamp-index",
              "KeyConditionExpression":"#k = :v","ExpressionAttributeNames":{"#k":"student_id"},
              "ExpressionAttributeValues":{":v":{"S":"STU-1A2B3C4D"}},
              "ScanIndexForward":false,"Limit":50})"));
}

TEST(DynamoDbProtocol, TableStatusWaitsForItsIndexes) {
  EXPECT_EQ(parse_table_status(R"({"Table":{"TableStatus":"ACTIVE",
              "GlobalSecondaryIndexes":[{"IndexName":"i","IndexStatus":"ACTIVE"}]}})"),
            "ACTIVE");
  EXPECT_EQ(parse_table_status(R"({"Table":{"TableStatus":"ACTIVE",
              "GlobalSecondaryIndexes":[{"IndexName":"i","IndexStatus":"CREATING"}]}})"),
            "CREATING");
  EXPECT_EQ(parse_table_status(R"({"Table":{"TableStatus":"CREATING"}})"), "CREATING");
  EXPECT_THROW(parse_table_status(R"({"TableDescription":{}})"), std::invalid_argument);
}

TEST(DynamoDbProtocol, UnprocessedItemsComeBackPlain) {
  EXPECT_TRUE(
      parse_unprocessed_items(R"({"UnprocessedItems": {}, "ConsumedCapacity": []})", "audit")
          .empty());
  auto items = parse_unprocessed_items(
      R"({"UnprocessedItems":{"audit":[{"PutRequest":{"Item":{"id":{"S":"a2"},"grade":{"N":"8"}}}}]}})",
      "audit");
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(json::value(items[0]), parsed(R"({"id":"a2","grade":8})"));
}

TEST(DynamoDbProtocol, QueryItemsAsMotoAnswers) {
  auto items = parse_query_items(
      R"({"Items": [{"id": {"S": "a3"}, "timestamp": {"S": "2026-11-30T05:00:02Z"}, "student_id": {"S": "STU-1"}}],
          "Count": 1, "ScannedCount": 1})");
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(json::value(items[0]),
            parsed(R"({"id":"a3","timestamp":"2026-11-30T05:00:02Z","student_id":"STU-1"})"));
  EXPECT_TRUE(parse_query_items(R"({"Count": 0})").empty());
  EXPECT_THROW(parse_query_items(R"({"Items": 3})"), std::invalid_argument);
}

}  // namespace
}  // namespace sre::aws::dynamodb
