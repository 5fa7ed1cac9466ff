#include "http/cors_options.h"

#include <gtest/gtest.h>

namespace sre::http {
namespace {

CorsOrigins parsed(std::string_view text) {
  auto result = CorsOrigins::parse(text);
  EXPECT_TRUE(std::holds_alternative<CorsOrigins>(result)) << std::get<std::string>(result);
  return std::get<CorsOrigins>(result);
}

TEST(CorsOrigins, EmptyIsOff) {
  EXPECT_TRUE(parsed("").empty());
  EXPECT_TRUE(parsed("  ").empty());
  EXPECT_FALSE(parsed("").allows("https://app.example.com"));
}

TEST(CorsOrigins, ExactOriginsOnly) {
  const CorsOrigins origins = parsed("https://app.example.com, http://localhost:3000");
  EXPECT_FALSE(origins.empty());
  EXPECT_TRUE(origins.allows("https://app.example.com"));
  EXPECT_TRUE(origins.allows("http://localhost:3000"));
  EXPECT_FALSE(origins.allows("http://app.example.com")) << "another scheme";
  EXPECT_FALSE(origins.allows("https://app.example.com:8443"));
  EXPECT_FALSE(origins.allows("https://app.example.com.evil.example"));
  EXPECT_FALSE(origins.allows("https://evil.example"));
  EXPECT_FALSE(origins.allows("null"));
  EXPECT_FALSE(origins.allows(""));
  EXPECT_EQ(origins.describe(), "https://app.example.com, http://localhost:3000");
}

TEST(CorsOrigins, StarIsAny) {
  const CorsOrigins origins = parsed("*");
  EXPECT_TRUE(origins.any());
  EXPECT_TRUE(origins.allows("https://whatever.example"));
  EXPECT_EQ(origins.describe(), "*");
}

TEST(CorsOrigins, RefusesWhatIsNotAnOrigin) {
  for (std::string_view text : {"app.example.com", "https://app.example.com/", "https://a/b",
                                "https://APP.example.com", "ftp://x", "https://", "https://:80",
                                "https://a,", "https://a,,https://b", "https://a b"}) {
    auto result = CorsOrigins::parse(text);
    ASSERT_TRUE(std::holds_alternative<std::string>(result)) << text;
    EXPECT_NE(std::get<std::string>(result).find("is not an origin"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace sre::http
