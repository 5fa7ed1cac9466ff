// Wall-clock formatting: RFC 3339 timestamps for the API and logs, IMF-fixdate for HTTP.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sre::core {

using SystemTime = std::chrono::system_clock::time_point;

// 2026-11-26T23:46:43.123456Z (UTC, microseconds): sorts as text, parses everywhere.
std::string rfc3339_micros(SystemTime time);
// The inverse of rfc3339_micros: a UTC timestamp "YYYY-MM-DDTHH:MM:SS[.fraction]Z", the
// fraction 0..9 digits (kept to the microsecond). nullopt for anything else (other offsets
// included): a consumer reading other systems' timestamps must not guess.
std::optional<SystemTime> parse_rfc3339_utc(std::string_view text);
// 2026-11-26T23:46:43.123Z, for log lines.
std::string rfc3339_millis(SystemTime time);
// The same, appended to `out` (the log writer's buffer) without a string of its own.
void append_rfc3339_millis(std::string& out, SystemTime time);
// Sun, 06 Nov 1994 08:49:37 GMT, the HTTP Date header.
std::string http_date(SystemTime time);
// http_date() of now, formatted at most once a second per thread (it is on every response).
const std::string& http_date_now();

}  // namespace sre::core
