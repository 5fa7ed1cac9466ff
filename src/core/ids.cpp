#include "core/ids.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <string_view>

namespace sre::core {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator with good statistical quality,
// one per thread so ids cost no lock. Seeded from the OS once per thread. Ids need to be
// unique and unguessable enough for logs, not secret: this is not a CSPRNG.
class IdGenerator {
 public:
  IdGenerator()
      : state_((static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
               std::random_device{}()) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// The two hex digits of every byte value, so that a random byte becomes two digits in one step.
struct HexDigitPairs {
  std::array<char, 512> pairs{};
  constexpr explicit HexDigitPairs(std::string_view alphabet) {
    for (std::size_t byte = 0; byte < 256; ++byte) {
      pairs[2 * byte] = alphabet[byte >> 4U];
      pairs[2 * byte + 1] = alphabet[byte & 0xFU];
    }
  }
};

constexpr HexDigitPairs kUpperHex{"0123456789ABCDEF"};
constexpr HexDigitPairs kLowerHex{"0123456789abcdef"};

// `digits` random hex digits (an id is made for every request: this is on the request path).
std::string random_hex(std::size_t digits, const HexDigitPairs& hex) {
  thread_local IdGenerator generator;
  std::string out(digits, '0');
  std::uint64_t bits = 0;
  for (std::size_t at = 0; at < digits; at += 2, bits >>= 8U) {
    if (at % 16 == 0) {
      bits = generator.next();
    }
    const char* pair = &hex.pairs[2 * (bits & 0xFFU)];
    if (digits - at >= 2) {
      std::memcpy(&out[at], pair, 2);  // a fixed size: two byte moves, not a call
    } else {
      out[at] = pair[0];
    }
  }
  return out;
}

}  // namespace

bool is_hex(std::string_view text, HexCase letters) {
  const bool upper = letters == HexCase::upper;
  for (char c : text) {
    const bool digit = c >= '0' && c <= '9';
    const bool letter = upper ? (c >= 'A' && c <= 'F') : (c >= 'a' && c <= 'f');
    if (!digit && !letter) {
      return false;
    }
  }
  return true;
}

std::string generate_student_id() {
  return "STU-" + random_hex(8, kUpperHex);
}

bool is_generated_student_id(std::string_view text) {
  return text.size() == 12 && text.starts_with("STU-") && is_hex(text.substr(4), HexCase::upper);
}

std::string generate_uuid_v4() {
  // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: random hex in place, then the fixed characters.
  std::string uuid = random_hex(36, kLowerHex);
  for (std::size_t dash : {8U, 13U, 18U, 23U}) {
    uuid[dash] = '-';
  }
  uuid[14] = '4';  // version 4: random
  // Variant 10xx: keep the digit's two low random bits, so it becomes one of 8, 9, a, b.
  const int digit = uuid[19] <= '9' ? uuid[19] - '0' : uuid[19] - 'a' + 10;
  uuid[19] = "89ab"[digit & 0x3];
  return uuid;
}

std::string generate_request_id() {
  return random_hex(32, kLowerHex);
}

bool is_acceptable_request_id(std::string_view text) {
  if (text.empty() || text.size() > 128) {
    return false;
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

namespace {

// The odds of 64 random zero bits are 2^-64, but the standard forbids the value: draw again.
std::string random_nonzero_hex(std::size_t digits) {
  std::string out = random_hex(digits, kLowerHex);
  while (out.find_first_not_of('0') == std::string::npos) {
    out = random_hex(digits, kLowerHex);
  }
  return out;
}

}  // namespace

std::string generate_trace_id() {
  return random_nonzero_hex(32);
}

std::string generate_span_id() {
  return random_nonzero_hex(16);
}

bool is_path_safe_student_id(std::string_view id) {
  constexpr std::size_t kMaxLength = 64;
  if (id.empty() || id.size() > kMaxLength) {
    return false;
  }
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace sre::core
