#include "cache/redis_cache.h"

namespace sre::cache {

boost::asio::awaitable<CacheLookup> RedisCache::get(const std::string& key) {
  std::string command;
  append_command(command, {"GET", key});
  RedisResult result = co_await redis_.execute(RedisCommandName::get, command);
  if (result.outcome != RedisOutcome::ok) {
    co_return CacheLookup{CacheLookup::Result::error, {}};
  }
  if (result.reply.type == RedisReply::Type::nil) {
    co_return CacheLookup{CacheLookup::Result::miss, {}};
  }
  if (result.reply.type != RedisReply::Type::string) {
    co_return CacheLookup{CacheLookup::Result::error, {}};
  }
  co_return CacheLookup{CacheLookup::Result::hit, std::move(result.reply.text)};
}

boost::asio::awaitable<bool> RedisCache::set(const std::string& key, const std::string& value,
                                             std::chrono::seconds ttl) {
  std::string command;
  std::string seconds = std::to_string(ttl.count());
  append_command(command, {"SET", key, value, "EX", seconds});
  RedisResult result = co_await redis_.execute(RedisCommandName::set, command);
  co_return result.outcome == RedisOutcome::ok;
}

boost::asio::awaitable<bool> RedisCache::erase(const std::string& key) {
  std::string command;
  append_command(command, {"DEL", key});
  RedisResult result = co_await redis_.execute(RedisCommandName::del, command);
  co_return result.outcome == RedisOutcome::ok;
}

}  // namespace sre::cache
