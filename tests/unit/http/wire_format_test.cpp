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

}  // namespace
}  // namespace sre::http
