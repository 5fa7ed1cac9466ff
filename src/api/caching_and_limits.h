// The parts issue 4 adds around the handlers, built from the configuration in one place:
//
//   REDIS_URL set:   RedisClient (a connection per I/O thread) -> RedisCache, RedisLimiter
//   REDIS_URL unset: LocalCache (a shard per I/O thread), LocalLimiter (atomic buckets)
//   CACHE_TTL_SECONDS > 0: cache-aside for GET /api/v1/students/{id}
//   RATE_LIMIT_ENABLED: the rate-limit middleware with RATE_LIMITS and TRUSTED_PROXIES
//
// Per-thread state is created by start_on_this_thread(), which every I/O thread calls before
// its event loop runs.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "api/middleware/rate_limit.h"
#include "cache/cache_aside.h"
#include "cache/local_cache.h"
#include "cache/redis_cache.h"
#include "redis/redis_client.h"
#include "core/config.h"
#include "obs/metrics.h"
#include "ratelimit/rate_limiter.h"

namespace sre::api {

class CachingAndLimits {
 public:
  CachingAndLimits(const core::Config& config, obs::Metrics& metrics);
  ~CachingAndLimits();

  void start_on_this_thread(unsigned io_thread, const boost::asio::any_io_executor& executor);

  // The Redis-backed cache, shared by every instance; null without REDIS_URL.
  cache::Cache* shared_cache() { return redis_cache_.get(); }
  // Null when caching is off (CACHE_TTL_SECONDS=0).
  cache::CacheAside* students_cache() { return students_cache_.get(); }
  // Null when rate limiting is off (RATE_LIMIT_ENABLED=false).
  std::shared_ptr<RateLimitMiddleware> rate_limit_middleware() { return rate_limit_; }
  // For the startup log: "redis host:port/db" or "in-process".
  std::string describe() const;

 private:
  // The cache in use: Redis when configured, else the in-process one.
  cache::Cache& cache() {
    return redis_cache_ ? static_cast<cache::Cache&>(*redis_cache_) : *local_cache_;
  }

  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<cache::LocalCache> local_cache_;
  std::unique_ptr<cache::RedisCache> redis_cache_;  // with REDIS_URL, else local_cache_
  std::unique_ptr<cache::CacheAside> students_cache_;
  std::unique_ptr<ratelimit::RateLimiter> limiter_;
  std::shared_ptr<RateLimitMiddleware> rate_limit_;
};

}  // namespace sre::api
