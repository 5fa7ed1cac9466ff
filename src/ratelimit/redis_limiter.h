// The rate limiter on Redis: every instance of the API shares one bucket per (policy, client),
// so N replicas admit the limit, not N times it.
//
// One Lua script (below, and in redis_limiter.cpp) refills and takes a token atomically: Redis
// runs a script without interleaving other commands, and it uses Redis' own clock (TIME), so
// instances with skewed clocks still agree. The bucket is one key holding its TAT (see
// token_bucket.h), expiring when the bucket would be full again: idle clients cost no memory.
// The script is sent by hash (EVALSHA); after a Redis restart or SCRIPT FLUSH the server
// answers NOSCRIPT and we send it once in full (EVAL, which also caches it).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "ratelimit/policy.h"
#include "redis/redis_client.h"

namespace sre::ratelimit {

class RedisLimiter {
 public:
  explicit RedisLimiter(redis::RedisClient& redis);

  // The decision, or nullopt when Redis could not give one (down, timeout, error reply): the
  // caller falls back. `key` must outlive the call.
  boost::asio::awaitable<std::optional<Decision>> take(const Rate& rate, const std::string& key);

  static std::string_view script();
  const std::string& script_sha1() const { return sha1_; }

 private:
  redis::RedisClient& redis_;
  std::string sha1_;
};

}  // namespace sre::ratelimit
