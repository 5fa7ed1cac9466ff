// RATE_LIMIT_ENABLED: the rate limiter of `serve` (RATE_LIMITS, TRUSTED_PROXIES), in Redis
// when there is a shared client, else in-process, and the middleware that applies it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "obs/metrics.h"
#include "ratelimit/rate_limit_middleware.h"
#include "ratelimit/rate_limit_options.h"
#include "ratelimit/rate_limiter.h"
#include "redis/redis_client.h"

namespace sre::api {

class RateLimiting {
 public:
  RateLimiting(const ratelimit::RateLimitOptions& options, redis::RedisClient* redis,
               obs::Metrics& metrics);

  std::shared_ptr<ratelimit::RateLimitMiddleware> middleware() const { return middleware_; }

  // The POST /auth/token rule applied once more, keyed on the user name tried: a password
  // guessed from many addresses is limited too. Seconds until `username` may try again, or 0.
  http::asio::awaitable<std::int64_t> login_retry_after(const std::string& username);

 private:
  ratelimit::RateLimiter limiter_;
  std::shared_ptr<ratelimit::RateLimitMiddleware> middleware_;
};

}  // namespace sre::api
