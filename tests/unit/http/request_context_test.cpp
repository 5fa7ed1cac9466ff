// What handlers read of a request's target: path and query parameters, decoded.
#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <string>
#include <vector>

#include "http/types.h"

namespace sre::http {
namespace {

RequestContext with_target(const std::string& target) {
  RequestContext ctx;
  ctx.request.target(target);
  ctx.url = boost::urls::parse_origin_form(ctx.request.target()).value();
  return ctx;
}

// query_string_fuzz found the single-value accessor this replaced (Boost.URL 1.81's
// params::find_last) missing a parameter whose value holds '=': "?skip=mit=5" had no skip.
TEST(RequestContext, QueryParamsKeepEveryValueInOrderEqualsSignsIncluded) {
  const auto ctx = with_target("/s?skip=mit=5&limit=2&skip=%3D1&limit&other=x");
  EXPECT_EQ(ctx.query_params("skip"), (std::vector<std::string>{"mit=5", "=1"}));
  EXPECT_EQ(ctx.query_params("limit"), (std::vector<std::string>{"2", ""}));
  EXPECT_TRUE(ctx.query_params("absent").empty());
}

}  // namespace
}  // namespace sre::http
