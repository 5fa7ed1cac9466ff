// The OpenAPI document is written by hand; this keeps it honest: every route and method the
// router serves must be documented, and nothing documented may be missing from the router.
#include <gtest/gtest.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/json/parse.hpp>

#include "api/app.h"
#include "students/fake_student_store.h"

namespace sre::api::embedded {
extern const std::string_view openapi_json;
}

namespace sre::api {
namespace {

// The routes are only registered, never called, so nothing is needed behind them.
class UnusedEventStore : public store::EventStore {
 public:
  http::asio::awaitable<std::vector<store::OutboxMessage>> claim(store::OutboxTopic, int,
                                                                 std::chrono::seconds) override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> mark_delivered(store::OutboxTopic,
                                                     std::vector<std::int64_t>) override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> release(store::OutboxTopic,
                                              std::vector<std::int64_t>) override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> mark_undeliverable(store::OutboxTopic,
                                                         std::vector<std::int64_t>,
                                                         std::string) override {
    throw 0;
  }
  http::asio::awaitable<store::OutboxBacklog> backlog(store::OutboxTopic) override { throw 0; }
  http::asio::awaitable<std::int64_t> prune_delivered(store::OutboxTopic,
                                                      std::chrono::seconds) override {
    throw 0;
  }
  http::asio::awaitable<bool> apply_event(store::EventEffects) override { throw 0; }
  http::asio::awaitable<std::vector<store::GradeEnrollment>> grade_enrollment() override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> welcome_notifications() override { throw 0; }
  http::asio::awaitable<std::vector<std::string>> audit_records(std::string, int) override {
    throw 0;
  }
};

// Asset files are an implementation detail of /docs, not part of the API.
bool documented_elsewhere(const std::string& path) {
  return path == "/docs/assets/{file}";
}

TEST(OpenApi, DocumentsExactlyTheRoutesTheRouterServes) {
  ServeConfig config;
  config.api.web_dir = "/nonexistent";
  testing::FakeStudentStore store;  // routes are registered, never called
  UnusedEventStore events;
  Lifecycle lifecycle;
  const auto codec = auth::TokenCodec::hs256("a secret only this test uses", {});
  App app(config, store, events, lifecycle, 1, codec, auth::Users{});

  auto document = boost::json::parse(embedded::openapi_json).as_object();
  EXPECT_TRUE(document.at("openapi").as_string().starts_with("3."));
  const auto& paths = document.at("paths").as_object();

  std::size_t served = 0;
  for (const auto& route : app.router().routes()) {
    if (documented_elsewhere(route.path_template)) {
      continue;
    }
    ASSERT_TRUE(paths.contains(route.path_template)) << route.path_template;
    const auto& operations = paths.at(route.path_template).as_object();
    for (const auto& [verb, handler] : route.handlers) {
      std::string method(http::beast_http::to_string(verb));
      boost::algorithm::to_lower(method);
      EXPECT_TRUE(operations.contains(method)) << method << " " << route.path_template;
      ++served;
    }
  }

  std::size_t documented = 0;
  for (const auto& [path, operations] : paths) {
    for (const auto& [key, value] : operations.as_object()) {
      if (key != "parameters" && key != "summary" && key != "description") {
        ++documented;
      }
    }
  }
  EXPECT_EQ(documented, served) << "the document lists operations the router does not serve";
}

}  // namespace
}  // namespace sre::api
