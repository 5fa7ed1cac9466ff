#include "api/rate_limiting.h"

namespace sre::api {

RateLimiting::RateLimiting(const ratelimit::RateLimitOptions& options, redis::RedisClient* redis,
                           obs::Metrics& metrics)
    : limiter_(options.policies, redis, metrics),
      middleware_(std::make_shared<ratelimit::RateLimitMiddleware>(limiter_, options)) {}

}  // namespace sre::api
