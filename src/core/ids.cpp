#include "core/ids.h"

#include <array>
#include <cstdint>
#include <random>

namespace sre::core {
namespace {

// One generator per thread: no lock, no shared state on the request path.
std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  return engine;
}

std::string random_hex(std::size_t digits, const char* alphabet) {
  std::string out;
  out.reserve(digits);
  while (out.size() < digits) {
    std::uint64_t bits = generator()();
    for (int i = 0; i < 16 && out.size() < digits; ++i, bits >>= 4) {
      out += alphabet[bits & 0xF];
    }
  }
  return out;
}

bool is_hex(std::string_view text, bool uppercase) {
  for (char c : text) {
    bool digit = c >= '0' && c <= '9';
    bool letter = uppercase ? (c >= 'A' && c <= 'F') : (c >= 'a' && c <= 'f');
    if (!digit && !letter) {
      return false;
    }
  }
  return true;
}

constexpr const char* kUpperHex = "0123456789ABCDEF";
constexpr const char* kLowerHex = "0123456789abcdef";

}  // namespace

std::string generate_student_id() {
  return "STU-" + random_hex(8, kUpperHex);
}

bool is_student_id(std::string_view text) {
  return text.size() == 12 && text.starts_with("STU-") && is_hex(text.substr(4), true);
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

std::string trace_id_from_traceparent(std::string_view traceparent) {
  // version "-" trace-id(32 hex) "-" parent-id(16 hex) "-" flags(2 hex)
  if (traceparent.size() >= 55 && traceparent[2] == '-' && traceparent[35] == '-') {
    std::string_view trace_id = traceparent.substr(3, 32);
    if (is_hex(trace_id, false) && trace_id != std::string(32, '0')) {
      return std::string(trace_id);
    }
  }
  return random_hex(32, kLowerHex);
}

}  // namespace sre::core
