#include "core/clock.h"

#include <fmt/format.h>

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

}  // namespace

std::string rfc3339_micros(SystemTime time) {
  std::tm t = utc_fields(time);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", t.tm_year + 1900, t.tm_mon + 1,
                     t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, sub_second(time, 1'000'000));
}

std::string rfc3339_millis(SystemTime time) {
  // Called for every log line: only the milliseconds are formatted each time.
  const std::string& prefix =  // "2026-11-26T23:46:43."
      once_a_second(std::chrono::system_clock::to_time_t(time), [time] {
        std::tm t = utc_fields(time);
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.", t.tm_year + 1900, t.tm_mon + 1,
                           t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
      });
  long long millis = sub_second(time, 1000);
  std::string text = prefix;
  text += static_cast<char>('0' + millis / 100);
  text += static_cast<char>('0' + millis / 10 % 10);
  text += static_cast<char>('0' + millis % 10);
  text += 'Z';
  return text;
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
