// The RESP reply reader (redis/resp.h) on arbitrary bytes from a "Redis server". It must
// either decode replies or throw RespProtocolError, never crash or loop; and how the bytes
// are split across reads must not change what is decoded (TCP splits them anywhere).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "redis/resp.h"

namespace {

using sre::redis::RedisReply;
using sre::redis::RespProtocolError;
using sre::redis::RespReader;

// Every reply decoded from `chunks` fed in order, and whether the reader refused the bytes.
struct Decoded {
  std::vector<RedisReply> replies;
  bool refused = false;
};

Decoded decode(const std::vector<std::string_view>& chunks) {
  Decoded out;
  RespReader reader;
  try {
    for (std::string_view chunk : chunks) {
      reader.feed(chunk);
      while (auto reply = reader.next()) {
        out.replies.push_back(std::move(*reply));
      }
    }
  } catch (const RespProtocolError&) {
    out.refused = true;
  }
  return out;
}

bool same(const RedisReply& a, const RedisReply& b) {
  if (a.type != b.type || a.text != b.text || a.integer != b.integer ||
      a.elements.size() != b.elements.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.elements.size(); ++i) {
    if (!same(a.elements[i], b.elements[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view wire(reinterpret_cast<const char*>(data), size);
  const Decoded whole = decode({wire});
  // The same bytes, one at a time for the first few, then in one piece.
  std::vector<std::string_view> pieces;
  const std::size_t bytewise = std::min<std::size_t>(wire.size(), 64);
  for (std::size_t i = 0; i < bytewise; ++i) {
    pieces.push_back(wire.substr(i, 1));
  }
  pieces.push_back(wire.substr(bytewise));
  const Decoded split = decode(pieces);

  FUZZ_CHECK(whole.refused == split.refused);
  FUZZ_CHECK(whole.replies.size() == split.replies.size());
  for (std::size_t i = 0; i < whole.replies.size(); ++i) {
    FUZZ_CHECK(same(whole.replies[i], split.replies[i]));
  }
  return 0;
}
