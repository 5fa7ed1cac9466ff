#include "api/caching_and_limits.h"

#include "cache/redis_cache.h"
#include "core/io_thread.h"

namespace sre::api {
namespace {

// A Cache that forwards to another one it does not own (lets cache_ always be a unique_ptr).
class CacheReference : public cache::Cache {
 public:
  explicit CacheReference(cache::Cache& target) : target_(target) {}
  boost::asio::awaitable<cache::CacheLookup> get(const std::string& key) override {
    return target_.get(key);
  }
  boost::asio::awaitable<bool> set(const std::string& key, const std::string& value,
                                   std::chrono::seconds ttl) override {
    return target_.set(key, value, ttl);
  }
  boost::asio::awaitable<bool> erase(const std::string& key) override { return target_.erase(key); }
  std::string_view backend() const override { return target_.backend(); }

 private:
  cache::Cache& target_;
};

}  // namespace

CachingAndLimits::CachingAndLimits(const core::Config& config, obs::Metrics& metrics) {
  // The texts were validated when the Config was built: parsing cannot fail here.
  if (!config.redis_url.empty()) {
    cache::RedisOptions options;
    options.endpoint = std::get<cache::RedisEndpoint>(cache::parse_redis_url(config.redis_url));
    options.timeout = std::chrono::milliseconds(config.redis_timeout_ms);
    redis_ = std::make_unique<cache::RedisClient>(std::move(options), metrics);
    cache_ = std::make_unique<cache::RedisCache>(*redis_);
  } else {
    local_cache_ = std::make_unique<cache::LocalCache>(config.cache_max_entries);
    cache_ = std::make_unique<CacheReference>(*local_cache_);
  }
  if (config.cache_ttl_seconds > 0) {
    students_cache_ = std::make_unique<cache::CacheAside>(
        *cache_, "students", std::chrono::seconds(config.cache_ttl_seconds), metrics);
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

void CachingAndLimits::start_on_this_thread(unsigned io_thread,
                                            const boost::asio::any_io_executor& executor) {
  core::set_io_thread_index(io_thread);
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
