// REDIS_URL, parsed: redis://[[user]:password@]host[:port][/db]. Pure, for configuration.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace sre::redis {

struct RedisEndpoint {
  std::string host;
  std::uint16_t port = 6379;
  std::string username;  // Redis 6 ACL user; empty: AUTH with the password only
  std::string password;  // empty: no AUTH
  int database = 0;      // SELECT n when not 0

  // host:port/db, without credentials: safe for logs and metrics.
  std::string describe() const;
};

// The endpoint, or a one-line reason the URL is not acceptable.
std::variant<RedisEndpoint, std::string> parse_redis_url(std::string_view url);

}  // namespace sre::redis
