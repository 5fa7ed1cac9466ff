#include "api/rate_limiting.h"

#include <algorithm>

#include "ratelimit/token_bucket.h"

namespace sre::api {

RateLimiting::RateLimiting(const ratelimit::RateLimitOptions& options, redis::RedisClient* redis,
                           obs::Metrics& metrics)
    : limiter_(options.policies, redis, metrics),
      middleware_(std::make_shared<ratelimit::RateLimitMiddleware>(limiter_, options)) {}

http::asio::awaitable<std::int64_t> RateLimiting::login_retry_after(const std::string& username) {
  const ratelimit::Policy* policy = limiter_.policies().match("POST", "/auth/token");
  if (policy == nullptr || policy->exempt) {
    co_return 0;
  }
  const auto decision = co_await limiter_.decide(*policy, "user:" + username);
  if (decision.allowed) {
    co_return 0;
  }
  co_return std::max<std::int64_t>(1, ratelimit::ceil_seconds(decision.retry_after_us));
}

}  // namespace sre::api
