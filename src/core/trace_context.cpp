#include "core/trace_context.h"

#include <algorithm>
#include <stdexcept>

#include "core/ids.h"

namespace sre::core {

namespace {

constexpr std::size_t kTraceIdDigits = 32;
constexpr std::size_t kSpanIdDigits = 16;
constexpr std::size_t kVersion00Length = kTraceparentLength;
constexpr std::size_t kMaxTracestate = 512;

bool all_zeros(std::string_view text) {
  return text.find_first_not_of('0') == std::string_view::npos;
}

int hex_value(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

}  // namespace

std::optional<TraceParent> parse_traceparent(std::string_view header) {
  if (header.size() < kVersion00Length || header[2] != '-' || header[35] != '-' ||
      header[52] != '-') {
    return std::nullopt;
  }
  const auto version = header.substr(0, 2);
  const auto trace_id = header.substr(3, kTraceIdDigits);
  const auto parent_id = header.substr(36, kSpanIdDigits);
  const auto flags = header.substr(53, 2);
  constexpr auto lower = HexCase::lower;  // the standard allows no uppercase
  if (!is_hex(version, lower) || version == "ff" || !is_hex(trace_id, lower) ||
      !is_hex(parent_id, lower) || !is_hex(flags, lower) || all_zeros(trace_id) ||
      all_zeros(parent_id)) {
    return std::nullopt;
  }
  // Version 00 is exactly 55 characters; a later version may append fields after a '-'.
  const bool extended = header.size() > kVersion00Length;
  if (extended && (version == "00" || header[kVersion00Length] != '-')) {
    return std::nullopt;
  }
  return TraceParent{std::string(trace_id), std::string(parent_id),
                     static_cast<std::uint8_t>(hex_value(flags[0]) * 16 + hex_value(flags[1]))};
}

std::string_view format_traceparent(TraceparentText& out, std::string_view trace_id,
                                    std::string_view span_id, std::uint8_t flags) {
  if (trace_id.size() != kTraceIdDigits || span_id.size() != kSpanIdDigits) {
    throw std::invalid_argument("a traceparent needs a 32-digit trace id and a 16-digit span id");
  }
  // Built by hand: it is on every response, and a format string costs several times as much.
  static constexpr char kHex[] = "0123456789abcdef";
  char* at = std::copy_n("00-", 3, out.data());
  at = std::copy(trace_id.begin(), trace_id.end(), at);
  *at++ = '-';
  at = std::copy(span_id.begin(), span_id.end(), at);
  *at++ = '-';
  *at++ = kHex[flags >> 4U];
  *at = kHex[flags & 0xFU];
  return {out.data(), out.size()};
}

std::string format_traceparent(std::string_view trace_id, std::string_view span_id,
                               std::uint8_t flags) {
  TraceparentText text;
  return std::string(format_traceparent(text, trace_id, span_id, flags));
}

bool is_acceptable_tracestate(std::string_view header) {
  if (header.empty() || header.size() > kMaxTracestate) {
    return false;
  }
  for (char c : header) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

}  // namespace sre::core
