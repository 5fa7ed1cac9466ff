#include "cache/redis_cache.h"

namespace sre::cache {

boost::asio::awaitable<CacheLookup> RedisCache::get(const std::string& key) {
  std::string command;
  redis::append_command(command, {"GET", key});
  redis::RedisResult result = co_await redis_.execute(redis::RedisCommandName::get, command);
  if (result.outcome != redis::RedisOutcome::ok) {
    co_return CacheLookup{CacheLookup::Result::error, {}};
  }
  if (result.reply.type == redis::RedisReply::Type::nil) {
    co_return CacheLookup{CacheLookup::Result::miss, {}};
  }
  if (result.reply.type != redis::RedisReply::Type::string) {
    co_return CacheLookup{CacheLookup::Result::error, {}};
  }
  co_return CacheLookup{CacheLookup::Result::hit, std::move(result.reply.text)};
}

boost::asio::awaitable<bool> RedisCache::set(const std::string& key, const std::string& value,
                                             std::chrono::seconds ttl) {
  std::string command;
  std::string seconds = std::to_string(ttl.count());
  redis::append_command(command, {"SET", key, value, "EX", seconds});
  redis::RedisResult result = co_await redis_.execute(redis::RedisCommandName::set, command);
  co_return result.outcome == redis::RedisOutcome::ok;
}

boost::asio::awaitable<bool> RedisCache::erase(const std::string& key) {
  std::string command;
  redis::append_command(command, {"DEL", key});
  redis::RedisResult result = co_await redis_.execute(redis::RedisCommandName::del, command);
  co_return result.outcome == redis::RedisOutcome::ok;
}

}  // namespace sre::cache
