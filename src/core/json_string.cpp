#include "core/json_string.h"

#include <bit>
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

// The bytes of `word` that are not copied as they are (`"`, `\`, below 0x20, 0x80 and above),
// each marked by its top bit. The usual bit trick for "has a zero byte" (Hacker's Delight 6-1;
// (v - 0x01..) & ~v & 0x80.. marks the zero bytes of v), applied to v ^ '"', v ^ '\\' and, for
// the bytes below 0x20, to v - 0x20..; bytes of 0x80 and above have their top bit set already.
// A borrow can mark a byte above a marked one, never below it, so the lowest mark is exact.
// Byte i of the text is byte i of the word loaded from it only on a little-endian machine.
static_assert(std::endian::native == std::endian::little);
std::uint64_t special_bytes(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  auto zero_bytes = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighBits; };
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
  return (word & kHighBits) | below_space | zero_bytes(word ^ (kOnes * '"')) |
         zero_bytes(word ^ (kOnes * '\\'));
}

// Eight plain bytes ('a'), to fill the part of a word that the text does not.
constexpr std::uint64_t kPlainWord = 0x6161616161616161ULL;

// The first marked byte's index in the word.
std::size_t first_mark(std::uint64_t marks) {
  return static_cast<std::size_t>(std::countr_zero(marks)) / 8;
}

// The position of the first byte at or after `from` that is not copied as it is, or
// text.size(). Eight bytes at a time, the last few too: log lines are mostly plain, and most of
// their strings are short (keys, methods, levels), so no byte is looked at on its own.
std::size_t first_special_byte(std::string_view text, std::size_t from) {
  const char* bytes = text.data();
  const std::size_t size = text.size();
  std::size_t pos = from;
  std::uint64_t word = 0;
  for (; size - pos >= 8; pos += 8) {
    std::memcpy(&word, bytes + pos, 8);
    if (const std::uint64_t marks = special_bytes(word); marks != 0) {
      return pos + first_mark(marks);
    }
  }
  const std::size_t rest = size - pos;
  if (rest == 0) {
    return size;
  }
  if (size >= 8) {
    // The last 8 bytes of the text, those before `pos` replaced by plain ones: one of them may
    // be the special byte the caller has just dealt with, and its borrow could mark the plain
    // byte above it (masking the marks afterwards would keep that false one).
    std::memcpy(&word, bytes + size - 8, 8);
    const std::size_t seen = 8 - rest;
    const std::uint64_t unseen = ~std::uint64_t{0} << (seen * 8);
    word = (word & unseen) | (kPlainWord & ~unseen);
    const std::uint64_t marks = special_bytes(word);
    return marks == 0 ? size : size - 8 + first_mark(marks);
  }
  if (rest >= 4) {
    // A short text of 4 to 7 bytes: its first 4 and its last 4 (overlapping) in one word.
    std::uint32_t low = 0;
    std::uint32_t high = 0;
    std::memcpy(&low, bytes + pos, 4);
    std::memcpy(&high, bytes + size - 4, 4);
    const std::uint64_t marks = special_bytes(low | (std::uint64_t{high} << 32U));
    if (marks == 0) {
      return size;
    }
    const std::size_t index = first_mark(marks);
    return index < 4 ? pos + index : size - 8 + index;
  }
  // 1 to 3 bytes, in a word of plain bytes where the text has none.
  word = kPlainWord;
  std::memcpy(&word, bytes + pos, rest);
  const std::uint64_t marks = special_bytes(word);
  return marks == 0 ? size : pos + first_mark(marks);
}

}  // namespace

bool is_plain_json_text(std::string_view text) {
  return first_special_byte(text, 0) == text.size();
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  // Runs of bytes that need nothing are copied in one append.
  std::size_t run_start = 0;
  for (std::size_t pos = first_special_byte(text, 0); pos < text.size();
       pos = first_special_byte(text, pos)) {
    out.append(text.data() + run_start, pos - run_start);
    const auto byte = static_cast<unsigned char>(text[pos]);
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
  out.append(text.data() + run_start, text.size() - run_start);
  out += '"';
}

}  // namespace sre::core
