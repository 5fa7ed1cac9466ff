// RATE_LIMIT_ENABLED: the rate limiter of `serve` (RATE_LIMITS, TRUSTED_PROXIES), in Redis
// when there is a shared client, else in-process, and the middleware that applies it.
#pragma once

#include <memory>

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

 private:
  ratelimit::RateLimiter limiter_;
  std::shared_ptr<ratelimit::RateLimitMiddleware> middleware_;
};

}  // namespace sre::api
