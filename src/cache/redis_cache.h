// Cache on Redis: GET, SET key value EX ttl, DEL. Shared by every instance of the API.
#pragma once

#include "cache/cache.h"
#include "redis/redis_client.h"

namespace sre::cache {

class RedisCache : public Cache {
 public:
  explicit RedisCache(redis::RedisClient& redis) : redis_(redis) {}

  boost::asio::awaitable<CacheLookup> get(const std::string& key) override;
  boost::asio::awaitable<bool> set(const std::string& key, const std::string& value,
                                   std::chrono::seconds ttl) override;
  boost::asio::awaitable<bool> erase(const std::string& key) override;
  std::string_view backend() const override { return "redis"; }

 private:
  redis::RedisClient& redis_;
};

}  // namespace sre::cache
