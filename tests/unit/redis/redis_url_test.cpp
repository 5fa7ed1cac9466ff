#include "redis/redis_url.h"

#include <gtest/gtest.h>

namespace sre::redis {
namespace {

RedisEndpoint parse_ok(std::string_view url) {
  auto parsed = parse_redis_url(url);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << url << ": " << *error;
    return {};
  }
  return std::get<RedisEndpoint>(parsed);
}

TEST(RedisUrl, HostPortDatabaseAndPassword) {
  auto plain = parse_ok("redis://localhost");
  EXPECT_EQ(plain.host, "localhost");
  EXPECT_EQ(plain.port, 6379);
  EXPECT_EQ(plain.database, 0);
  EXPECT_TRUE(plain.password.empty());

  auto full = parse_ok("redis://:s3cret@127.0.0.1:6380/2");
  EXPECT_EQ(full.host, "127.0.0.1");
  EXPECT_EQ(full.port, 6380);
  EXPECT_EQ(full.database, 2);
  EXPECT_EQ(full.password, "s3cret");
  EXPECT_TRUE(full.username.empty());
  EXPECT_EQ(full.describe(), "127.0.0.1:6380/2") << "no secret in what we log";

  auto acl = parse_ok("redis://app:pw@[::1]:7000/0");
  EXPECT_EQ(acl.host, "::1");
  EXPECT_EQ(acl.username, "app");
  EXPECT_EQ(acl.password, "pw");
}

TEST(RedisUrl, RefusesWhatItCannotConnectTo) {
  for (auto url : {"localhost:6379", "rediss://host", "http://host", "redis://", "redis://h:0",
                   "redis://h/16", "redis://h/x", "redis://h:99999"}) {
    auto parsed = parse_redis_url(url);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << url;
    EXPECT_EQ(std::get<std::string>(parsed).find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace sre::redis
