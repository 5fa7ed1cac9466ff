// The JSON log line as written (core/log.cpp render_into and core/json_string.cpp): the exact
// text, since log pipelines parse it, and JSON validity whatever bytes a field carries.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <optional>
#include <string>

#include "core/json_string.h"
#include "core/log.h"
#include "core/log_context.h"

namespace sre::log {
namespace {

std::string json_string(std::string_view text) {
  std::string out;
  core::append_json_string(out, text);
  return out;
}

// The line without its timestamp, which is the only part that changes from run to run.
std::string without_ts(const std::string& line) {
  const std::string prefix = R"({"ts":")";
  EXPECT_EQ(line.rfind(prefix, 0), 0U) << line;
  const std::size_t end = line.find('"', prefix.size());
  EXPECT_EQ(end - prefix.size(), 24U) << line;  // 2026-11-26T23:46:43.123Z
  std::string rest = "{";
  rest += std::string_view(line).substr(end + 2);
  return rest;
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharactersAsBoostJsonDoes) {
  EXPECT_EQ(json_string(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(json_string("a\nb\rc\td\be\ff"), R"("a\nb\rc\td\be\ff")");
  EXPECT_EQ(json_string(std::string_view("\x00\x1f\x7f", 3)), "\"\\u0000\\u001f\x7f\"");
  EXPECT_EQ(json_string(""), R"("")");
}

TEST(JsonString, KeepsValidUtf8AndReplacesEachInvalidByte) {
  EXPECT_EQ(json_string("Zo\xC3\xAB \xE2\x82\xAC"), "\"Zo\xC3\xAB \xE2\x82\xAC\"");
  EXPECT_EQ(json_string("/x/\xFF\xC3\x28"), "\"/x/\xEF\xBF\xBD\xEF\xBF\xBD(\"");
  EXPECT_EQ(json_string("\xE2\x82"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // truncated sequence
}

TEST(JsonString, FindsASpecialByteAtEveryPositionOfStringsOfEveryLength) {
  // Text is scanned eight bytes at a time, the last few too (padded): a special byte must be
  // seen wherever it is, in a whole word or in the padded rest.
  for (char special : {'"', '\\', '\n', '\x1f', '\x7f', '\xC3'}) {
    for (std::size_t length = 1; length <= 20; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        std::string expected = text;
        if (special == '"' || special == '\\') {
          expected.insert(at, 1, '\\');
        } else if (special == '\n') {
          expected.replace(at, 1, "\\n");
        } else if (special == '\x1f') {
          expected.replace(at, 1, "\\u001f");
        } else if (special == '\xC3') {
          expected.replace(at, 1, "\xEF\xBF\xBD");  // a lead byte followed by 'a': invalid
        }
        EXPECT_EQ(json_string(text), '"' + expected + '"')
            << "byte " << int(special) << " at " << at << " of " << length;
      }
    }
  }
}

TEST(JsonString, FindsTwoSpecialBytesAtEveryPairOfPositions) {
  // After the first special byte the scan goes on from the byte after it, and may look again at
  // bytes before it: the first one must not be found twice.
  for (std::size_t length = 2; length <= 20; ++length) {
    for (std::size_t first = 0; first < length; ++first) {
      for (std::size_t second = first + 1; second < length; ++second) {
        std::string text(length, 'a');
        text[first] = '"';
        text[second] = '\n';
        EXPECT_EQ(json_string(text), boost::json::serialize(boost::json::string(text)))
            << first << " and " << second << " of " << length;
      }
    }
  }
}

TEST(JsonString, ABorrowFromASpecialByteMarksNoPlainByteAboveIt) {
  // The word check subtracts per byte, and a special byte's borrow can mark the byte above it:
  // ' ' after a control character, '#' after '"', ']' after '\\'. Only the lowest mark of a word
  // is exact, so no scan may trust a mark above a special byte it has already passed over.
  const std::string neighbours = " #]";
  for (char special : {'"', '\\', '\x01', '\x1f'}) {
    for (std::size_t length = 1; length <= 20; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text;
        for (std::size_t i = 0; i < length; ++i) {
          text += neighbours[i % neighbours.size()];
        }
        text[at] = special;
        EXPECT_EQ(json_string(text), boost::json::serialize(boost::json::string(text)))
            << "byte " << int(special) << " at " << at << " of " << length;
      }
    }
  }
}

TEST(LogLine, HasTheBaseKeysInOrderThenTheFields) {
  const std::string line = render(Level::info, "svc", "request",
                                  {{"method", "GET"},
                                   {"status", 200},
                                   {"duration_us", std::int64_t{-5}},
                                   {"cached", true},
                                   {"client", std::string("127.0.0.1")}});
  EXPECT_EQ(without_ts(line),
            R"({"level":"info","msg":"request","service":"svc","method":"GET","status":200,)"
            R"("duration_us":-5,"cached":true,"client":"127.0.0.1"})");
}

TEST(LogLine, CarriesTheRequestsIdsFromItsLogContext) {
  const std::string request_id = "r1";
  const std::string trace_id = "t1";
  const std::string empty;
  RequestLogContext context{&request_id, &trace_id, &empty};
  ScopedRequestLogContext scope(&context);
  EXPECT_EQ(without_ts(render(Level::warn, "svc", "m", {})),
            R"({"level":"warn","msg":"m","service":"svc","request_id":"r1","trace_id":"t1"})");
}

TEST(LogLine, AFieldNamedLikeABaseKeyTakesItsPlace) {
  const std::string line = render(Level::error, "svc", "m", {{"service", "sqs"}, {"n", 1}});
  EXPECT_EQ(without_ts(line), R"({"level":"error","msg":"m","service":"sqs","n":1})");
}

TEST(LogLine, OtherValuesGoThroughBoostJson) {
  const std::string line =
      render(Level::info, "svc", "m",
             {{"ratio", 0.5}, {"none", std::optional<int>()}, {"big", std::uint64_t{1} << 63U}});
  auto parsed = boost::json::parse(line).as_object();
  EXPECT_EQ(parsed.at("ratio").as_double(), 0.5);
  EXPECT_TRUE(parsed.at("none").is_null());
  EXPECT_EQ(parsed.at("big").as_uint64(), std::uint64_t{1} << 63U);
}

TEST(LogLine, StaysValidJsonWithRawBytesAndControlsInEveryPart) {
  const std::string line = render(Level::warn, "s\xFF", "m\"\n",
                                  {{"path\x01", std::string_view("/x/\xFF\xFE\xC3\x28")}});
  auto parsed = boost::json::parse(line).as_object();
  EXPECT_EQ(parsed.at("msg").as_string(), "m\"\n");
  EXPECT_EQ(parsed.at("service").as_string(), "s\xEF\xBF\xBD");
  EXPECT_EQ(parsed.at("path\x01").as_string(), "/x/\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD(");
}

}  // namespace
}  // namespace sre::log
