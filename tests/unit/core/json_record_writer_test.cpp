#include "core/json_record_writer.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>

#include "core/json_string.h"

namespace sre::core {
namespace {

std::string record_of(std::string_view name, std::int64_t number, std::size_t expected_bytes) {
  std::string out;
  {
    JsonRecordWriter record(out, expected_bytes);
    record.literal(R"({"name":)");
    record.string(name);
    record.literal(R"(,"number":)");
    record.integer(number);
    record.literal("}");
  }
  return out;
}

std::string boost_record(std::string_view name, std::int64_t number) {
  return boost::json::serialize(boost::json::object{{"name", name}, {"number", number}});
}

// The writer promises Boost.JSON's bytes, plain strings or not.
TEST(JsonRecordWriter, WritesTheBytesBoostJsonWrites) {
  const std::string_view names[] = {
      "",
      "Ada",
      "STU-1A2B3C4D",
      "2026-11-30T08:00:00.000001Z",
      "quote \" backslash \\ newline \n tab \t bell \x07",
      "Zoë",
      "a name long enough to fill several words of the eight-byte scan, then a quote: \"",
  };
  for (const std::string_view name : names) {
    for (const std::int64_t number :
         {std::int64_t{0}, std::int64_t{-42}, std::numeric_limits<std::int64_t>::min(),
          std::numeric_limits<std::int64_t>::max()}) {
      EXPECT_EQ(record_of(name, number, 256), boost_record(name, number)) << name;
    }
  }
}

// Boost.JSON keeps bytes that are not UTF-8; ours become U+FFFD, as append_json_string writes.
TEST(JsonRecordWriter, WritesInvalidUtf8AsAppendJsonStringDoes) {
  std::string expected = R"({"name":)";
  append_json_string(expected, "invalid \xFF byte");
  expected += R"(,"number":1})";
  EXPECT_EQ(record_of("invalid \xFF byte", 1, 256), expected);
}

// Less room at the start than the record needs: the writer takes more, at every kind of write.
TEST(JsonRecordWriter, GrowsPastTheRoomItStartedWith) {
  const std::string long_name(300, 'x');
  for (const std::size_t expected : {0, 1, 5, 9, 30}) {
    EXPECT_EQ(record_of(long_name, std::numeric_limits<std::int64_t>::min(), expected),
              boost_record(long_name, std::numeric_limits<std::int64_t>::min()))
        << expected;
    EXPECT_EQ(record_of("tab\there", 7, expected), boost_record("tab\there", 7)) << expected;
  }
}

TEST(JsonRecordWriter, AppendsAfterWhatIsThereAndLeavesNoSpareBytes) {
  std::string out = "[1,";
  {
    JsonRecordWriter record(out, 1000);
    record.literal(R"({"a":)");
    record.integer(2);
    record.literal("}");
  }
  EXPECT_EQ(out, R"([1,{"a":2})");  // size() is the end of the record: no room left over
}

TEST(JsonString, PlainTextIsAsciiFromTheSpaceUpButQuoteAndBackslash) {
  EXPECT_TRUE(is_plain_json_text(""));
  EXPECT_TRUE(is_plain_json_text("2026-11-30T08:00:00.000001Z"));
  EXPECT_TRUE(is_plain_json_text(" ~\x7F"));
  EXPECT_FALSE(is_plain_json_text("a\"b"));
  EXPECT_FALSE(is_plain_json_text("a\\b"));
  EXPECT_FALSE(is_plain_json_text("line\n"));
  EXPECT_FALSE(is_plain_json_text("Zoë"));
  // The special byte last, after a full word: the tail check sees it.
  EXPECT_FALSE(is_plain_json_text("0123456789\x1F"));
}

}  // namespace
}  // namespace sre::core
