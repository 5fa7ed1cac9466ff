// RESP, the Redis protocol, both directions. Commands are encoded here (an array of bulk
// strings: "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"); replies are decoded by hiredis' reply reader,
// which is small, fuzzed and handles every RESP2/RESP3 type. We use nothing else from hiredis:
// its blocking and async clients would fight with our Asio event loops.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sre::redis {

// Appends one command to `out` (a pipeline is several commands appended to one buffer).
void append_command(std::string& out, std::initializer_list<std::string_view> args);
void append_command(std::string& out, const std::vector<std::string_view>& args);

// One reply, decoded. Strings and status/error texts are in `text`.
struct RedisReply {
  enum class Type { string, status, error, integer, nil, array, other };
  Type type = Type::nil;
  std::string text;
  std::int64_t integer = 0;
  std::vector<RedisReply> elements;

  bool is_error() const { return type == Type::error; }
};

class RespProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Incremental reply decoder: feed bytes as they arrive, take complete replies out in order.
class RespReader {
 public:
  RespReader();
  ~RespReader();
  RespReader(const RespReader&) = delete;
  RespReader& operator=(const RespReader&) = delete;

  void feed(std::string_view bytes);
  // The next complete reply, or nullopt when more bytes are needed. Throws
  // RespProtocolError on bytes that are not RESP (the connection must then be dropped).
  std::optional<RedisReply> next();
  // Starts over (after a reconnect: leftovers of the old connection mean nothing).
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sre::redis
