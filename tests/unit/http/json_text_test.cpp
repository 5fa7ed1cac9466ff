#include "http/json_text.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>

namespace sre::http {
namespace {

TEST(JsonText, DoublesArePlainDecimals) {
  const boost::json::value value = {{"probability", 0.5},        {"ratio", 1.0}, {"small", 0.0001},
                                    {"list", {0.25, 2.0, -3.5}}, {"n", 3},       {"s", "5E-1"}};
  EXPECT_EQ(to_json_text(value),
            R"({"probability":0.5,"ratio":1.0,"small":0.0001,"list":[0.25,2.0,-3.5],"n":3,)"
            R"("s":"5E-1"})");
}

TEST(JsonText, IsJsonWithKeysAndStringsEscaped) {
  const boost::json::value value = {{"a", 0.25}, {"k\"ey", "v\n"}};
  EXPECT_EQ(to_json_text(value), R"({"a":0.25,"k\"ey":"v\n"})");
  EXPECT_EQ(boost::json::parse(to_json_text(value)), value);
}

TEST(JsonText, NonFiniteIsNull) {
  const boost::json::value value = {std::numeric_limits<double>::infinity(), 1};
  EXPECT_EQ(to_json_text(value), "[null,1]");
}

TEST(JsonText, WithoutDoublesItIsBoostsText) {
  const boost::json::value value = {{"id", "STU-1"}, {"grade", 7}, {"ok", true}, {"x", nullptr}};
  EXPECT_EQ(to_json_text(value), R"({"id":"STU-1","grade":7,"ok":true,"x":null})");
}

}  // namespace
}  // namespace sre::http
