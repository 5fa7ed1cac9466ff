// The one Redis client of `serve` (REDIS_URL), shared by the student response cache, the last
// known grades and the rate limiter.
#pragma once

#include <memory>

#include "obs/metrics.h"
#include "redis/redis_client.h"
#include "redis/redis_settings.h"

namespace sre::api {

// Null without REDIS_URL. Connects nothing yet: each I/O thread starts its own connection.
std::unique_ptr<redis::RedisClient> make_shared_redis(const redis::RedisSettings& settings,
                                                      obs::Metrics& metrics);

}  // namespace sre::api
