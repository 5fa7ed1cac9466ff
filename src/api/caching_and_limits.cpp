#include "api/caching_and_limits.h"

#include "core/io_thread.h"

namespace sre::api {

CachingAndLimits::CachingAndLimits(const core::Config& config, obs::Metrics& metrics) {
  // The texts were validated when the Config was built: parsing cannot fail here.
  if (!config.redis_url.empty()) {
    redis::RedisOptions options;
    options.endpoint = std::get<redis::RedisEndpoint>(redis::parse_redis_url(config.redis_url));
    options.timeout = std::chrono::milliseconds(config.redis_timeout_ms);
    redis_ = std::make_unique<redis::RedisClient>(std::move(options), metrics);
    redis_cache_ = std::make_unique<cache::RedisCache>(*redis_);
  } else {
    local_cache_ = std::make_unique<cache::LocalCache>(config.cache_max_entries);
  }
  if (config.cache_ttl_seconds > 0) {
    students_cache_ = std::make_unique<cache::CacheAside>(
        cache(), "students", std::chrono::seconds(config.cache_ttl_seconds), metrics);
  }
  if (config.rate_limit_enabled) {
    auto policies = std::get<ratelimit::PolicyTable>(ratelimit::parse_policies(
        config.rate_limits.empty() ? ratelimit::kDefaultRateLimits : config.rate_limits));
    auto trusted = std::get<ratelimit::TrustedProxies>(
        ratelimit::TrustedProxies::parse(config.trusted_proxies));
    limiter_ = std::make_unique<ratelimit::RateLimiter>(std::move(policies), redis_.get(), metrics);
    rate_limit_ = std::make_shared<RateLimitMiddleware>(*limiter_, std::move(trusted));
  }
}

CachingAndLimits::~CachingAndLimits() = default;

void CachingAndLimits::start_on_this_thread(unsigned /*io_thread*/,
                                            const boost::asio::any_io_executor& executor) {
  if (redis_) {
    redis_->start_on_this_thread(executor);
  }
  if (local_cache_) {
    local_cache_->start_on_this_thread(executor);
  }
}

std::string CachingAndLimits::describe() const {
  return redis_ ? "redis " + redis_->endpoint().describe() : std::string("in-process");
}

}  // namespace sre::api
