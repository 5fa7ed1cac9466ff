#include "core/json_object_writer.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>

namespace sre::core {
namespace {

// The writer promises Boost.JSON's bytes: every case is checked against its serializer.
TEST(JsonObjectWriter, WritesTheBytesBoostJsonWrites) {
  const std::string awkward = "quote \" backslash \\ newline \n tab \t bell \x07 é";
  std::string out;
  JsonObjectWriter object(out);
  object.string("text", awkward);
  object.integer("zero", 0);
  object.integer("negative", -42);
  object.integer("min", std::numeric_limits<std::int64_t>::min());
  object.integer("max", std::numeric_limits<std::int64_t>::max());
  object.null("nothing");
  JsonObjectWriter nested = object.object("nested");
  nested.string("key", "");
  JsonObjectWriter empty = nested.object("empty");
  empty.close();
  nested.close();
  object.string("after", "last");
  object.close();

  const boost::json::object expected{
      {"text", awkward},
      {"zero", 0},
      {"negative", -42},
      {"min", std::numeric_limits<std::int64_t>::min()},
      {"max", std::numeric_limits<std::int64_t>::max()},
      {"nothing", nullptr},
      {"nested", boost::json::object{{"key", ""}, {"empty", boost::json::object{}}}},
      {"after", "last"}};
  EXPECT_EQ(out, boost::json::serialize(expected));
}

TEST(JsonObjectWriter, AnEmptyObjectIsTwoBraces) {
  std::string out = "prefix:";
  JsonObjectWriter object(out);
  object.close();
  EXPECT_EQ(out, "prefix:{}");
}

TEST(JsonObjectWriter, InvalidUtf8BecomesTheReplacementCharacter) {
  std::string out;
  JsonObjectWriter object(out);
  object.string("bytes",
                "a\xFF"
                "b");
  object.close();
  EXPECT_EQ(out,
            "{\"bytes\":\"a\xEF\xBF\xBD"
            "b\"}");
}

}  // namespace
}  // namespace sre::core
