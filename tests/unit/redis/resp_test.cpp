#include "redis/resp.h"

#include <gtest/gtest.h>

namespace sre::redis {
namespace {

TEST(Resp, EncodesCommandsAsArraysOfBulkStrings) {
  std::string out;
  append_command(out, {"GET", "student:STU-1"});
  EXPECT_EQ(out, "*2\r\n$3\r\nGET\r\n$13\r\nstudent:STU-1\r\n");
  append_command(out, {"SET", "k", std::string_view("a\r\nb\0c", 6)});
  EXPECT_EQ(out.substr(33), std::string("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\na\r\nb\0c\r\n", 32))
      << "binary-safe: CR, LF and NUL inside a value";
  std::string empty;
  append_command(empty, {"SET", "k", ""});
  EXPECT_EQ(empty, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

TEST(Resp, DecodesRepliesSplitAnywhere) {
  const std::string wire =
      "+OK\r\n$5\r\nhello\r\n$-1\r\n:42\r\n-NOSCRIPT No matching script\r\n*2\r\n:1\r\n:600\r\n";
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    RespReader reader;
    std::vector<RedisReply> replies;
    reader.feed(std::string_view(wire).substr(0, split));
    while (auto reply = reader.next()) {
      replies.push_back(std::move(*reply));
    }
    reader.feed(std::string_view(wire).substr(split));
    while (auto reply = reader.next()) {
      replies.push_back(std::move(*reply));
    }
    ASSERT_EQ(replies.size(), 6U) << "split at " << split;
    EXPECT_EQ(replies[0].type, RedisReply::Type::status);
    EXPECT_EQ(replies[1].text, "hello");
    EXPECT_EQ(replies[2].type, RedisReply::Type::nil);
    EXPECT_EQ(replies[3].integer, 42);
    EXPECT_TRUE(replies[4].is_error());
    EXPECT_TRUE(replies[4].text.starts_with("NOSCRIPT"));
    ASSERT_EQ(replies[5].elements.size(), 2U);
    EXPECT_EQ(replies[5].elements[1].integer, 600);
  }
}

TEST(Resp, RejectsBytesThatAreNotResp) {
  RespReader reader;
  reader.feed("HTTP/1.1 200 OK\r\n");
  EXPECT_THROW(reader.next(), RespProtocolError);
}

}  // namespace
}  // namespace sre::redis
