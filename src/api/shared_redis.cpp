#include "api/shared_redis.h"

namespace sre::api {

std::unique_ptr<redis::RedisClient> make_shared_redis(const redis::RedisSettings& settings,
                                                      obs::Metrics& metrics) {
  auto options = settings.client_options();
  if (!options) {
    return nullptr;
  }
  return std::make_unique<redis::RedisClient>(std::move(*options), metrics);
}

}  // namespace sre::api
