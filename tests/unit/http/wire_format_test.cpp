#include "http/wire_format.h"

#include <gtest/gtest.h>

namespace sre::http {
namespace {

constexpr std::string_view kDate = "Fri, 27 Nov 2026 00:00:00 GMT";

Response make(Status status, std::string body, unsigned version = 11) {
  Response response{status, version};
  response.set(beast_http::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

TEST(RenderResponse, WritesStatusFieldsFramingAndBody) {
  std::string out;
  render_response(make(Status::ok, R"({"a":1})"), {true, kDate}, out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Cache-Control: no-store\r\n"
            "Date: Fri, 27 Nov 2026 00:00:00 GMT\r\n"
            "Content-Length: 7\r\n"
            "\r\n"
            R"({"a":1})");
}

TEST(RenderResponse, ClosingConnectionSaysSo) {
  std::string out;
  render_response(make(Status::payload_too_large, "{}"), {false, kDate}, out);
  EXPECT_NE(out.find("\r\nConnection: close\r\n"), std::string::npos) << out;
  EXPECT_TRUE(out.starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << out;
}

TEST(RenderResponse, NoContentHasNoBodyAndNoLength) {
  std::string out;
  render_response(make(Status::no_content, "ignored"), {true, kDate}, out);
  EXPECT_EQ(out.find("Content-Length"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
}

TEST(RenderResponse, Http10KeepAliveIsExplicit) {
  std::string out;
  render_response(make(Status::ok, "{}", 10), {true, kDate}, out);
  EXPECT_TRUE(out.starts_with("HTTP/1.0 200 OK\r\n")) << out;
  EXPECT_NE(out.find("\r\nConnection: keep-alive\r\n"), std::string::npos) << out;
}

TEST(RenderResponse, FramingFieldsSetByHandlersAreIgnored) {
  auto response = make(Status::ok, "{}");
  response.set(beast_http::field::content_length, "999");
  response.set(beast_http::field::connection, "upgrade");
  response.set(beast_http::field::date, "yesterday");
  std::string out;
  render_response(response, {true, kDate}, out);
  EXPECT_EQ(out.find("999"), std::string::npos) << out;
  EXPECT_EQ(out.find("upgrade"), std::string::npos) << out;
  EXPECT_EQ(out.find("yesterday"), std::string::npos) << out;
  EXPECT_NE(out.find("Content-Length: 2\r\n"), std::string::npos) << out;
}

TEST(RenderResponse, HeadAnswerHasTheLengthButNoBody) {
  std::string out;
  render_response(make(Status::ok, R"({"a":1})"), {true, kDate, true}, out);
  EXPECT_NE(out.find("Content-Length: 7\r\n"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
}

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(SecurityHeaders, NosniffOnEveryResponseExactlyOnce) {
  for (std::string_view type : {"application/json", "text/plain", "image/png"}) {
    Response response{Status::ok, 11};
    response.set(beast_http::field::content_type, type);
    response.set("x-content-type-options", "sniff-away");
    std::string out;
    render_response(response, {true, kDate}, out);
    EXPECT_EQ(count(out, "X-Content-Type-Options: nosniff\r\n"), 1U) << out;
    EXPECT_EQ(out.find("sniff-away"), std::string::npos) << out;
  }
}

TEST(SecurityHeaders, JsonIsNotStoredUnlessTheHandlerSaysOtherwise) {
  std::string out;
  render_response(make(Status::not_found, "{}"), {true, kDate}, out);
  EXPECT_NE(out.find("Cache-Control: no-store\r\n"), std::string::npos) << out;
  auto cached = make(Status::ok, "{}");
  cached.set(beast_http::field::cache_control, "public, max-age=60");
  render_response(cached, {true, kDate}, out);
  EXPECT_EQ(count(out, "Cache-Control"), 1U) << out;
  Response text{Status::ok, 11};
  text.set(beast_http::field::content_type, "text/plain");
  render_response(text, {true, kDate}, out);
  EXPECT_EQ(out.find("Cache-Control"), std::string::npos) << out;
}

TEST(SecurityHeaders, HtmlCannotBeFramedAndGetsAStrictPolicy) {
  Response page{Status::ok, 11};
  page.set(beast_http::field::content_type, "text/html; charset=utf-8");
  std::string out;
  render_response(page, {true, kDate}, out);
  EXPECT_NE(out.find("X-Frame-Options: DENY\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Content-Security-Policy: " + std::string(kHtmlPolicy) + "\r\n"),
            std::string::npos)
      << out;
  page.set("Content-Security-Policy", "default-src 'self'");
  render_response(page, {true, kDate}, out);
  EXPECT_EQ(count(out, "Content-Security-Policy"), 1U) << out;
}

}  // namespace
}  // namespace sre::http
