#include "core/clock.h"

#include <fmt/format.h>

#include <cstdint>
#include <ctime>

namespace sre::core {
namespace {

std::tm utc_fields(SystemTime time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  return fields;
}

long long sub_second(SystemTime time, long long units_per_second) {
  auto since_epoch = time.time_since_epoch();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
  return (micros % 1'000'000) / (1'000'000 / units_per_second);
}

// Text that changes once a second (log timestamps, the Date header) is formatted once a second
// per thread and reused. Each call site's `format` lambda has its own type, hence its own cache.
template <typename Format>
const std::string& once_a_second(std::time_t second, Format format) {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached_text;
  if (second != cached_second) {
    cached_text = format();
    cached_second = second;
  }
  return cached_text;
}

// "2026-11-26T23:46:43.": what RFC 3339 times of one second have in common, formatted once a
// second per thread (a log line, an event and an audit record each write one).
const std::string& seconds_prefix(SystemTime time) {
  return once_a_second(std::chrono::system_clock::to_time_t(time), [time] {
    std::tm t = utc_fields(time);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.", t.tm_year + 1900, t.tm_mon + 1,
                       t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
  });
}

// `value` (0 <= value < 10^width) as exactly `width` decimal digits.
void append_digits(std::string& out, long long value, int width) {
  char digits[6];
  for (int i = width - 1; i >= 0; --i, value /= 10) {
    digits[i] = static_cast<char>('0' + value % 10);
  }
  out.append(digits, static_cast<std::size_t>(width));
}

// The `width` digits of `text` at `at` as a number; nullopt if any is not a digit.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t width) {
  if (text.size() < at + width) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<SystemTime> parse_rfc3339_utc(std::string_view text) {
  // 2026-11-26T23:46:43 is 19 characters; the separators sit at fixed places.
  constexpr std::size_t kSecondsEnd = 19;
  if (text.size() < kSecondsEnd + 1 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text.back() != 'Z') {
    return std::nullopt;
  }
  auto year = digits(text, 0, 4);
  auto month = digits(text, 5, 2);
  auto day = digits(text, 8, 2);
  auto hour = digits(text, 11, 2);
  auto minute = digits(text, 14, 2);
  auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
      *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::int64_t micros = 0;
  const std::string_view fraction = text.substr(kSecondsEnd, text.size() - kSecondsEnd - 1);
  if (!fraction.empty()) {
    if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 10) {
      return std::nullopt;
    }
    std::int64_t scale = 100'000;
    for (char c : fraction.substr(1)) {
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      micros += (c - '0') * scale;
      scale /= 10;
    }
  }
  std::tm fields{};
  fields.tm_year = *year - 1900;
  fields.tm_mon = *month - 1;
  fields.tm_mday = *day;
  fields.tm_hour = *hour;
  fields.tm_min = *minute;
  fields.tm_sec = *second;
  const std::time_t seconds = timegm(&fields);
  return SystemTime{std::chrono::seconds(seconds) + std::chrono::microseconds(micros)};
}

std::string rfc3339_micros(SystemTime time) {
  std::string text;
  text.reserve(27);  // "2026-11-26T23:46:43.123456Z": one allocation, not a copy then a growth
  text += seconds_prefix(time);
  append_digits(text, sub_second(time, 1'000'000), 6);
  text += 'Z';
  return text;
}

std::string rfc3339_millis(SystemTime time) {
  std::string text;
  append_rfc3339_millis(text, time);
  return text;
}

void append_rfc3339_millis(std::string& out, SystemTime time) {
  // Called for every log line: only the milliseconds are formatted each time.
  out += seconds_prefix(time);
  append_digits(out, sub_second(time, 1000), 3);
  out += 'Z';
}

std::string http_date(SystemTime time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm t = utc_fields(time);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[t.tm_wday], t.tm_mday,
                     kMonths[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
}

const std::string& http_date_now() {
  auto now = std::chrono::system_clock::now();
  return once_a_second(std::chrono::system_clock::to_time_t(now), [now] { return http_date(now); });
}

}  // namespace sre::core
