#include "ratelimit/redis_limiter.h"

#include <openssl/sha.h>

#include <array>

namespace sre::ratelimit {
namespace {

// KEYS[1]: the bucket. ARGV[1]: interval, ARGV[2]: capacity, both in microseconds.
// Returns {allowed (1 or 0), ahead (TAT - now in microseconds, after taking when allowed)}.
// Numbers: Lua's are doubles, exact up to 2^53; microseconds since 1970 are about 2^51.
constexpr std::string_view kScript = R"lua(
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local ahead = tat - now + interval
if ahead > capacity then
  return {0, tat - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', now + ahead), 'PX', math.ceil(ahead / 1000) + 1)
return {1, ahead}
)lua";

std::string sha1_hex(std::string_view text) {
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xF];
  }
  return hex;
}

std::optional<Decision> decision_from(const Rate& rate, const redis::RedisResult& result) {
  const auto& reply = result.reply;
  if (result.outcome != redis::RedisOutcome::ok || reply.type != redis::RedisReply::Type::array ||
      reply.elements.size() != 2 || reply.elements[0].type != redis::RedisReply::Type::integer ||
      reply.elements[1].type != redis::RedisReply::Type::integer) {
    return std::nullopt;
  }
  return describe(rate, reply.elements[0].integer == 1, reply.elements[1].integer);
}

}  // namespace

RedisLimiter::RedisLimiter(redis::RedisClient& redis) : redis_(redis), sha1_(sha1_hex(kScript)) {}

std::string_view RedisLimiter::script() {
  return kScript;
}

boost::asio::awaitable<std::optional<Decision>> RedisLimiter::take(const Rate& rate,
                                                                   const std::string& key) {
  const std::string interval = std::to_string(rate.interval_us());
  const std::string capacity = std::to_string(rate.capacity_us());
  std::string command;
  redis::append_command(command, {"EVALSHA", sha1_, "1", key, interval, capacity});
  redis::RedisResult result = co_await redis_.execute(redis::RedisCommandName::evalsha, command);
  if (result.outcome == redis::RedisOutcome::error && result.reply.text.starts_with("NOSCRIPT")) {
    command.clear();
    redis::append_command(command, {"EVAL", kScript, "1", key, interval, capacity});
    result = co_await redis_.execute(redis::RedisCommandName::eval, command);
  }
  co_return decision_from(rate, result);
}

}  // namespace sre::ratelimit
