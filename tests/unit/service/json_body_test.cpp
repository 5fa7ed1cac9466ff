#include "service/json_body.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

namespace sre::service {
namespace {

http::RequestContext json_request(std::string_view content_type, std::string body) {
  http::RequestContext ctx;
  ctx.request.version(11);
  ctx.request.set(http::beast_http::field::content_type, content_type);
  ctx.request.body() = std::move(body);
  return ctx;
}

std::string rejection_of(const std::variant<boost::json::object, http::Response>& result) {
  const auto* response = std::get_if<http::Response>(&result);
  return response == nullptr ? "" : std::to_string(response->result_int()) + " " + response->body();
}

TEST(ParseJson, RejectsMalformedDeepAndInvalidUtf8) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  for (const std::string& body : {std::string("{"), std::string("{\"a\":}"), std::string(""), deep,
                                  std::string("{\"a\":\"\xff\"}"), std::string("{} trailing")}) {
    auto result = parse_json(body);
    ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(result)) << body;
    EXPECT_EQ(std::get<core::FieldErrors>(result)[0].type, "json_invalid");
  }
}

TEST(ParseJson, AcceptsNestingUpToTheLimit) {
  std::string nested(kMaxJsonDepth, '[');
  nested += std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(std::holds_alternative<boost::json::value>(parse_json(nested)));
}

TEST(ReadJsonObject, AcceptsJsonMediaTypesOnly) {
  EXPECT_TRUE(is_json_media_type("application/json"));
  EXPECT_TRUE(is_json_media_type("Application/JSON ; charset=utf-8"));
  EXPECT_TRUE(is_json_media_type("application/merge-patch+json"));
  EXPECT_FALSE(is_json_media_type("text/plain"));
  EXPECT_EQ(rejection_of(read_json_object(json_request("text/plain", "{}"))),
            R"(415 {"detail":"Unsupported Media Type: expected application/json"})");
}

TEST(ReadJsonObject, AnswersMalformedAndNonObjectBodiesWith422) {
  EXPECT_EQ(rejection_of(read_json_object(json_request("application/json", "[1]"))),
            R"(422 {"detail":[{"loc":["body"],"msg":"Input should be a valid dictionary",)"
            R"("type":"dict_type"}]})");
  EXPECT_EQ(rejection_of(read_json_object(json_request("application/json", "{"))).substr(0, 4),
            "422 ");
  auto ok = read_json_object(json_request("application/json", R"({"a":1})"));
  ASSERT_TRUE(std::holds_alternative<boost::json::object>(ok));
  EXPECT_EQ(boost::json::serialize(std::get<boost::json::object>(ok)), R"({"a":1})");
}

}  // namespace
}  // namespace sre::service
