// Framing responses on a keep-alive connection.
#include "loadtest/response_framing.h"

#include <gtest/gtest.h>

#include <string>

namespace sre::loadtest {
namespace {

using State = ResponseHead::State;

TEST(ResponseFraming, AContentLengthResponse) {
  const std::string bytes =
      "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\ncontent-length:  18 \r\n\r\n"
      "{\"status\":\"alive\"}";
  auto head = parse_response_head(bytes);
  ASSERT_EQ(head.state, State::complete);
  EXPECT_EQ(head.status, 201);
  EXPECT_EQ(head.head_bytes, bytes.size() - 18);
  EXPECT_EQ(head.body_bytes, 18u);
  EXPECT_FALSE(head.close);
}

TEST(ResponseFraming, IncompleteUntilTheBlankLine) {
  EXPECT_EQ(parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n").state,
            State::incomplete);
  EXPECT_EQ(parse_response_head("").state, State::incomplete);
}

TEST(ResponseFraming, CloseAndHttp10) {
  EXPECT_TRUE(parse_response_head("HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 0"
                                  "\r\n\r\n")
                  .close);
  EXPECT_TRUE(parse_response_head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").close);
  EXPECT_FALSE(parse_response_head("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"
                                   "Content-Length: 0\r\n\r\n")
                   .close);
}

TEST(ResponseFraming, BodylessStatusesNeedNoLength) {
  auto head = parse_response_head("HTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_EQ(head.state, State::complete);
  EXPECT_EQ(head.body_bytes, 0u);
  EXPECT_EQ(
      parse_response_head("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n").body_bytes,
      0u);
}

TEST(ResponseFraming, WhatCannotBeFramedIsRefused) {
  EXPECT_EQ(parse_response_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").state,
            State::malformed);
  EXPECT_EQ(parse_response_head("HTTP/1.1 200 OK\r\n\r\n").state, State::malformed)
      << "a body delimited by the close";
  EXPECT_EQ(parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2"
                                "\r\n\r\n")
                .state,
            State::malformed);
  EXPECT_EQ(parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").state,
            State::malformed);
  EXPECT_EQ(parse_response_head("SMTP 220 hello\r\n\r\n").state, State::malformed);
  EXPECT_EQ(parse_response_head("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n").state,
            State::malformed);
  EXPECT_EQ(parse_response_head("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").state, State::malformed);
}

}  // namespace
}  // namespace sre::loadtest
