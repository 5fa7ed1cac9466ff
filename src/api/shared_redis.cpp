#include "api/shared_redis.h"

namespace sre::api {

std::unique_ptr<redis::RedisClient> make_shared_redis(const core::Config& config,
                                                      obs::Metrics& metrics) {
  if (config.redis_url.empty()) {
    return nullptr;
  }
  // The text was validated when the Config was built: parsing cannot fail here.
  redis::RedisOptions options;
  options.endpoint = std::get<redis::RedisEndpoint>(redis::parse_redis_url(config.redis_url));
  options.timeout = std::chrono::milliseconds(config.redis_timeout_ms);
  return std::make_unique<redis::RedisClient>(std::move(options), metrics);
}

}  // namespace sre::api
