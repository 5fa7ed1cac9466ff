#include "redis/redis_settings.h"

#include <fmt/format.h>

namespace sre::redis {

std::optional<RedisOptions> RedisSettings::client_options() const {
  if (!endpoint) {
    return std::nullopt;
  }
  RedisOptions options;
  options.endpoint = *endpoint;
  options.timeout = timeout;
  return options;
}

std::string url_of(const RedisEndpoint& endpoint) {
  std::string userinfo = endpoint.username;
  if (!endpoint.password.empty()) {
    userinfo += ":" + endpoint.password;
  }
  return fmt::format("redis://{}{}:{}/{}", userinfo.empty() ? "" : userinfo + "@", endpoint.host,
                     endpoint.port, endpoint.database);
}

const std::vector<core::Setting<RedisSettings>>& settings() {
  using core::setting;
  static const std::vector<core::Setting<RedisSettings>> rows{
      setting("REDIS_URL", &RedisSettings::endpoint,
              core::optional_parsed_by<RedisEndpoint>(parse_redis_url, url_of,
                                                      "redis://[[user]:password@]host[:port][/db]"),
              "Unset: in-process cache and rate limiter; redis://[:password@]host:port/db",
              core::Visibility::secret),
      setting("REDIS_TIMEOUT_MS", &RedisSettings::timeout,
              core::duration_in<std::chrono::milliseconds>(1, 60000),
              "A Redis command not answered within this counts as failed (the request goes on)"),
  };
  return rows;
}

}  // namespace sre::redis
