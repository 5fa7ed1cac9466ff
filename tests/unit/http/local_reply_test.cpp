#include "http/local_reply.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http/router.h"

namespace sre::http {
namespace {

Request request_of(unsigned version) {
  Request request;
  request.version(version);
  return request;
}

boost::json::value body_of(const Response& response) {
  EXPECT_EQ(response[beast_http::field::content_type], "application/json");
  return boost::json::parse(response.body());
}

TEST(LocalReply, PlainErrorsAreADetailStringInTheRequestsHttpVersion) {
  const auto response = local_reply::error(request_of(10), Status::not_found, "Student not found");
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_EQ(response.version(), 10U);
  EXPECT_EQ(boost::json::serialize(body_of(response)), R"({"detail":"Student not found"})");
  EXPECT_EQ(boost::json::serialize(body_of(local_reply::not_found(request_of(11)))),
            R"({"detail":"Not Found"})");
}

TEST(LocalReply, ProtocolErrorsAnswerInHttp11) {
  const auto response = local_reply::protocol_error(Status::payload_too_large, "too large");
  EXPECT_EQ(response.result(), Status::payload_too_large);
  EXPECT_EQ(response.version(), 11U);
  EXPECT_EQ(boost::json::serialize(body_of(response)), R"({"detail":"too large"})");
}

TEST(LocalReply, MethodNotAllowedListsTheRoutesMethods) {
  Router router;
  auto noop = [](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return Response{Status::ok, ctx.request.version()};
  };
  router.add(Verb::get, "/items", RouteTag::public_api, noop);
  router.add(Verb::post, "/items", RouteTag::public_api, noop);
  const auto response = local_reply::method_not_allowed(request_of(11), router.routes().front());
  EXPECT_EQ(response.result(), Status::method_not_allowed);
  EXPECT_EQ(response[beast_http::field::allow], "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(boost::json::serialize(body_of(response)), R"({"detail":"Method Not Allowed"})");
}

TEST(LocalReply, ValidationFailuresHaveFastApisShape) {
  const auto response = local_reply::validation_failed(
      request_of(11), {{{"body", "grade"}, "Field required", "missing"},
                       {{"query", "limit", 0}, "Input should be a valid integer", "int_parsing"}});
  EXPECT_EQ(response.result(), Status::unprocessable_entity);
  EXPECT_EQ(boost::json::serialize(body_of(response)),
            R"({"detail":[{"loc":["body","grade"],"msg":"Field required","type":"missing"},)"
            R"({"loc":["query","limit",0],"msg":"Input should be a valid integer",)"
            R"("type":"int_parsing"}]})");
}

TEST(LocalReply, RefusalsSayWhenToComeBack) {
  const auto busy =
      local_reply::retry_later(request_of(11), Status::service_unavailable,
                               "Service overloaded; retry later", std::chrono::seconds(3));
  EXPECT_EQ(busy.result(), Status::service_unavailable);
  EXPECT_EQ(busy[beast_http::field::retry_after], "3");
  EXPECT_EQ(boost::json::serialize(body_of(busy)),
            R"({"detail":"Service overloaded; retry later"})");

  const auto limited = local_reply::rate_limited(request_of(11), 12);
  EXPECT_EQ(limited.result(), Status::too_many_requests);
  EXPECT_EQ(limited[beast_http::field::retry_after], "12");
  EXPECT_EQ(boost::json::serialize(body_of(limited)),
            R"({"error":"Rate limit exceeded","retry_after":12})");
}

TEST(LocalReply, InternalErrorsShowOnlyTheRequestId) {
  const auto response = local_reply::internal_error(request_of(11), "abc123");
  EXPECT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(boost::json::serialize(body_of(response)),
            R"({"detail":"Internal Server Error","request_id":"abc123"})");
}

}  // namespace
}  // namespace sre::http
