#include "core/json_string.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "core/utf8.h"

namespace sre::core {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// An ASCII byte that JSON does not take as it is: `"`, `\` or a control character.
void append_escaped(std::string& out, unsigned char byte) {
  switch (byte) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[byte >> 4U];
      out += kHex[byte & 0xFU];
  }
}

// true for the bytes copied as they are: printable ASCII but `"` and `\`.
constexpr std::array<bool, 256> kPlainBytes = [] {
  std::array<bool, 256> plain{};
  for (unsigned byte = 0x20; byte < 0x80; ++byte) {
    plain.at(byte) = byte != '"' && byte != '\\';
  }
  return plain;
}();

// Whether any of the 8 bytes in `word` is not plain. The usual bit trick for "has a zero
// byte" (Hacker's Delight 6-1; (v - 0x01..) & ~v & 0x80.. is nonzero exactly when some byte of
// v is zero), applied to v ^ '"', v ^ '\\' and, for the bytes below 0x20, to v - 0x20..;
// bytes of 0x80 and above have their top bit set. Eight bytes take about as many instructions
// as one byte through the table, and log lines are mostly plain.
bool has_special_byte(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  auto has_zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighBits; };
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
  return ((word & kHighBits) | below_space | has_zero_byte(word ^ (kOnes * '"')) |
          has_zero_byte(word ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  // Runs of bytes that need nothing are copied in one append.
  std::size_t run_start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::uint64_t word = 0;
    if (text.size() - pos >= sizeof word) {
      std::memcpy(&word, text.data() + pos, sizeof word);
      if (!has_special_byte(word)) {
        pos += sizeof word;
        continue;
      }
    }
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (kPlainBytes[byte]) {
      ++pos;
      continue;
    }
    out.append(text.substr(run_start, pos - run_start));
    if (byte < 0x80U) {
      append_escaped(out, byte);
      ++pos;
    } else {
      const std::size_t start = pos;
      if (next_code_point(text, pos)) {
        out.append(text.substr(start, pos - start));
      } else {
        out.append(kReplacement);  // next_code_point skipped the one invalid byte
      }
    }
    run_start = pos;
  }
  out.append(text.substr(run_start));
  out += '"';
}

}  // namespace sre::core
