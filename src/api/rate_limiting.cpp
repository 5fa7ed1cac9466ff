#include "api/rate_limiting.h"

namespace sre::api {

namespace {

// The texts were validated when the Config was built: parsing cannot fail here.
ratelimit::PolicyTable policies(const core::Config& config) {
  return std::get<ratelimit::PolicyTable>(ratelimit::parse_policies(
      config.rate_limits.empty() ? ratelimit::kDefaultRateLimits : config.rate_limits));
}

ratelimit::TrustedProxies trusted_proxies(const core::Config& config) {
  return std::get<ratelimit::TrustedProxies>(
      ratelimit::TrustedProxies::parse(config.trusted_proxies));
}

}  // namespace

RateLimiting::RateLimiting(const core::Config& config, redis::RedisClient* redis,
                           obs::Metrics& metrics)
    : limiter_(policies(config), redis, metrics),
      middleware_(
          std::make_shared<ratelimit::RateLimitMiddleware>(limiter_, trusted_proxies(config))) {}

}  // namespace sre::api
