// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header that ties
// one request's work together across processes.
//
//   traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
//                version-trace_id (32 hex)-parent span id (16 hex)-flags (01: sampled)
//
// Each process keeps the trace id it was given (or starts a trace), opens a span of its own
// for the request (a new span id), answers with its span in `traceparent`, and sends every
// outgoing call with a new span id under the same trace. `tracestate` (vendors' data) is
// passed on unchanged when it looks sane, and otherwise dropped, as the standard allows.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sre::core {

struct TraceParent {
  std::string trace_id;   // 32 lowercase hex, not all zeros
  std::string parent_id;  // 16 lowercase hex, not all zeros: the caller's span
  std::uint8_t flags = 0;
};

// nullopt for anything the standard says to ignore: a wrong length or shape, uppercase hex,
// all-zero ids, version ff, or version 00 with anything after the flags. A later version
// is read by its first four fields.
std::optional<TraceParent> parse_traceparent(std::string_view header);

// A version 00 traceparent: "00-" + 32 + "-" + 16 + "-" + 2.
inline constexpr std::size_t kTraceparentLength = 55;
using TraceparentText = std::array<char, kTraceparentLength>;

// "00-<trace_id>-<span_id>-<flags as 2 hex>", written into `out` (no allocation: every response
// carries one); the view is of `out`. Throws std::invalid_argument unless trace_id has 32
// characters and span_id 16, as every id this service makes or accepts has.
std::string_view format_traceparent(TraceparentText& out, std::string_view trace_id,
                                    std::string_view span_id, std::uint8_t flags);
// The same, as a string of its own.
std::string format_traceparent(std::string_view trace_id, std::string_view span_id,
                               std::uint8_t flags);

// A tracestate header worth passing on: at most 512 characters of printable ASCII (the
// standard's list of key=value members; we neither read nor change it).
bool is_acceptable_tracestate(std::string_view header);

}  // namespace sre::core
