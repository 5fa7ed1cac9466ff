// Whether and how to reach Redis: REDIS_URL (unset: no Redis; the cache and the rate limiter
// keep their state in process) and REDIS_TIMEOUT_MS. The URL is parsed once, here.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/config.h"
#include "redis/redis_connection.h"
#include "redis/redis_url.h"

namespace sre::redis {

struct RedisSettings {
  std::optional<RedisEndpoint> endpoint;  // REDIS_URL; nullopt: no Redis
  std::chrono::milliseconds timeout{250};

  // The client's options when a URL is set.
  std::optional<RedisOptions> client_options() const;
};

const std::vector<core::Setting<RedisSettings>>& settings();

// The endpoint as a URL again (with its password: the row is secret, describe() redacts it).
std::string url_of(const RedisEndpoint& endpoint);

}  // namespace sre::redis
