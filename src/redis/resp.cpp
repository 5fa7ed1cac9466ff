#include "redis/resp.h"

#include <hiredis/hiredis.h>

#include <charconv>

namespace sre::redis {
namespace {

void append_bulk(std::string& out, std::string_view arg) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), arg.size());
  out += '$';
  out.append(digits, end);
  out += "\r\n";
  out += arg;
  out += "\r\n";
}

template <typename Args>
void append_all(std::string& out, const Args& args) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), args.size());
  out += '*';
  out.append(digits, end);
  out += "\r\n";
  for (std::string_view arg : args) {
    append_bulk(out, arg);
  }
}

RedisReply convert(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::string;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::status;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::error;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_NIL:
      out.type = RedisReply::Type::nil;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      out.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(convert(*reply.element[i]));
      }
      break;
    default:  // RESP3 types; we speak RESP2 (no HELLO 3), so they do not occur
      out.type = RedisReply::Type::other;
      break;
  }
  return out;
}

}  // namespace

void append_command(std::string& out, std::initializer_list<std::string_view> args) {
  append_all(out, args);
}

void append_command(std::string& out, const std::vector<std::string_view>& args) {
  append_all(out, args);
}

struct RespReader::Impl {
  redisReader* reader = redisReaderCreate();
  ~Impl() { redisReaderFree(reader); }
};

RespReader::RespReader() : impl_(std::make_unique<Impl>()) {
  if (impl_->reader == nullptr) {
    throw std::bad_alloc();
  }
}

RespReader::~RespReader() = default;

void RespReader::feed(std::string_view bytes) {
  if (redisReaderFeed(impl_->reader, bytes.data(), bytes.size()) != REDIS_OK) {
    throw RespProtocolError(impl_->reader->errstr);
  }
}

std::optional<RedisReply> RespReader::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(impl_->reader, &raw) != REDIS_OK) {
    throw RespProtocolError(impl_->reader->errstr);
  }
  if (raw == nullptr) {
    return std::nullopt;
  }
  std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                     freeReplyObject);
  return convert(*reply);
}

void RespReader::reset() {
  impl_ = std::make_unique<Impl>();
}

}  // namespace sre::redis
