#include "http/request_checks.h"

#include <gtest/gtest.h>

#include <boost/beast/http/parser.hpp>
#include <boost/url/parse.hpp>
#include <string>

namespace sre::http {
namespace {

struct Parsed {
  Request head;
  bool chunked = false;
};

// Parses a request head the way the connection does (Beast's parser, nothing else).
Parsed parse_head(std::string_view bytes) {
  beast_http::request_parser<beast_http::string_body> parser;
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  EXPECT_TRUE(!ec || ec == beast_http::error::need_more) << ec.message();
  EXPECT_TRUE(parser.is_header_done());
  return {parser.get(), parser.chunked()};
}

boost::system::error_code check(std::string_view bytes) {
  Parsed parsed = parse_head(bytes);
  return check_request_head(parsed.head, parsed.chunked);
}

TEST(CheckRequestHead, AcceptsPlainFraming) {
  EXPECT_FALSE(check("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_FALSE(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n"));
  EXPECT_FALSE(check("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_FALSE(check("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
}

TEST(CheckRequestHead, RefusesACodingThatDoesNotEndInChunked) {
  for (std::string_view coding : {"gzip", "identity", "chunked, identity", "chunked, gzip"}) {
    const std::string head =
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + std::string(coding) + "\r\n\r\n";
    EXPECT_EQ(check(head), RequestError::ambiguous_framing) << coding;
  }
}

TEST(CheckRequestHead, RefusesTransferEncodingWithContentLength) {
  // Beast itself refuses a Content-Length before Transfer-Encoding; this order it takes.
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                  "Content-Length: 5\r\n\r\n"),
            RequestError::ambiguous_framing);
}

TEST(CheckRequestHead, WantsExactlyOneHostInHttp11) {
  EXPECT_EQ(check("GET / HTTP/1.1\r\n\r\n"), RequestError::missing_host);
  EXPECT_EQ(check("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), RequestError::repeated_host);
  EXPECT_FALSE(check("GET / HTTP/1.0\r\n\r\n"));
}

TEST(ObsoleteLineFolding, IsALineStartingWithWhitespace) {
  EXPECT_TRUE(has_obsolete_line_folding("GET / HTTP/1.1\r\nX-A: a\r\n b"));
  EXPECT_TRUE(has_obsolete_line_folding("GET / HTTP/1.1\r\nX-A: a\r\n\tb"));
  EXPECT_FALSE(has_obsolete_line_folding("GET / HTTP/1.1\r\nX-A: a b\r\nX-B:\tc"));
}

TEST(LeadingEmptyLines, CountsCrlfAndBareLf) {
  EXPECT_EQ(leading_empty_lines("\r\n\nGET"), 3U);
  EXPECT_EQ(leading_empty_lines("GET\r\n"), 0U);
  EXPECT_EQ(leading_empty_lines("\r"), 0U);  // the rest of that line has not arrived yet
}

TEST(ParseRequestTarget, AcceptsOriginAbsoluteAndAsteriskForms) {
  auto origin = parse_request_target(Verb::get, "/api/v1/students?limit=2");
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->path(), "/api/v1/students");
  auto absolute = parse_request_target(Verb::get, "http://example.com/health/live?x=1");
  ASSERT_TRUE(absolute);
  EXPECT_EQ(absolute->path(), "/health/live");
  EXPECT_EQ(absolute->query(), "x=1");
  auto asterisk = parse_request_target(Verb::options, "*");
  ASSERT_TRUE(asterisk);
  EXPECT_TRUE(asterisk->segments().empty());
}

TEST(ParseRequestTarget, RefusesTheRest) {
  EXPECT_FALSE(parse_request_target(Verb::get, "*"));
  EXPECT_FALSE(parse_request_target(Verb::get, "ftp://example.com/x"));
  EXPECT_FALSE(parse_request_target(Verb::get, "example.com:80"));
  EXPECT_FALSE(parse_request_target(Verb::get, "/a b"));
}

TEST(IsOriginForm, ChecksCharactersAndPercentEncoding) {
  EXPECT_TRUE(is_origin_form("/api/v1/students?limit=2&skip=0"));
  EXPECT_TRUE(is_origin_form("/"));
  EXPECT_TRUE(is_origin_form("//a/%41%7e?q=%2F?x/y"));
  EXPECT_FALSE(is_origin_form("/a%4"));
  EXPECT_FALSE(is_origin_form("/a%zz"));
  EXPECT_FALSE(is_origin_form("/a b"));
  EXPECT_FALSE(is_origin_form("/a#fragment"));
  EXPECT_FALSE(is_origin_form("/caf\xc3\xa9"));
  EXPECT_FALSE(is_origin_form("a/b"));
  EXPECT_FALSE(is_origin_form(""));
}

std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    out += c >= 0x20 && c < 0x7f ? std::string(1, static_cast<char>(c)) : "\\x" + std::to_string(c);
  }
  return out;
}

bool boost_parses(const std::string& target) {
  return boost::urls::parse_origin_form(target).has_value();
}

// The check must say what Boost.URL's parse says, or a handler's url() would find a target the
// connection let through unparseable (a 500), or the connection would refuse one it can parse.
TEST(IsOriginForm, AgreesWithBoostUrlOnEveryTwoBytesAndOnThreeOfEveryKind) {
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      const std::string target{'/', static_cast<char>(first), static_cast<char>(second)};
      ASSERT_EQ(is_origin_form(target), boost_parses(target)) << printable(target);
    }
  }
  // One or more of each kind: unreserved, sub-delims, ':' and '@', '/' and '?', '%' with hex
  // digits and without, what RFC 3986 excludes, a control byte, bytes above 0x7f.
  const std::string kinds = "aZ09-._~!$&'()*+,;=:@/?%fG #\"<>[]\\^`{|}\x01\x7f\x80\xff";
  for (char a : kinds) {
    for (char b : kinds) {
      for (char c : kinds) {
        for (const std::string& target : {std::string{'/', a, b, c}, std::string{a, b, c}}) {
          ASSERT_EQ(is_origin_form(target), boost_parses(target)) << printable(target);
        }
      }
    }
  }
}

}  // namespace
}  // namespace sre::http
