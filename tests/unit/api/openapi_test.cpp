// The OpenAPI document is written by hand; this keeps it honest: every route and method the
// router serves must be documented, and nothing documented may be missing from the router.
#include <gtest/gtest.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/json/parse.hpp>

#include "api/app.h"
#include "api/unused_event_store.h"
#include "students/fake_student_store.h"

namespace sre::api::embedded {
extern const std::string_view openapi_json;
}

namespace sre::api {
namespace {

// Asset files are an implementation detail of /docs and /slo, not part of the API.
bool documented_elsewhere(const std::string& path) {
  return path == "/docs/assets/{file}" || path == "/slo/assets/{file}";
}

TEST(OpenApi, DocumentsExactlyTheRoutesTheRouterServes) {
  ServeConfig config;
  config.api.web_dir = "/nonexistent";
  sre::testing::FakeStudentStore store;  // routes are registered, never called
  testing::UnusedEventStore events;
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
