// Structured logging: one JSON object per line on stdout, written by a background thread so
// request threads never wait for the terminal or the pipe.
//
//   log::info("student created", {{"student_id", id}});
//
// Every line carries ts, level, msg and service, and inside a request its request_id and
// trace_id (from the request's log context, see core/log_context.h: no parameters needed).
// When a thread's queue is full, new lines are dropped (and counted) rather than blocking the
// service: logs must never take the API down (see core/log_writer.h).
#pragma once

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace sre::log {

enum class Level { trace, debug, info, warn, error };

// A key and any value Boost.JSON can represent. Strings, integers and booleans, which is what
// nearly every line carries, are kept as they are and written straight into the line; a string
// is kept by view, which is safe because a Field lives only as long as the log call it is
// written in. Anything else (doubles, optionals, arrays...) becomes a json::value.
//
// A field named like one of the keys every line starts with (ts, level, msg, service,
// request_id, trace_id, span_id) takes that key's place instead of appearing twice.
struct Field {
  using Value = std::variant<std::string_view, std::int64_t, bool, boost::json::value>;

  template <typename T>
  Field(std::string_view k, T&& v) : key(k), value(to_value(std::forward<T>(v))) {}

  std::string_view key;
  Value value;

 private:
  template <typename T>
  static Value to_value(T&& v) {
    using Plain = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<Plain, bool>) {
      return v;
    } else if constexpr (std::is_integral_v<Plain> &&
                         (std::is_signed_v<Plain> || sizeof(Plain) < sizeof(std::int64_t))) {
      return static_cast<std::int64_t>(v);
    } else if constexpr (std::is_convertible_v<T, std::string_view>) {
      return std::string_view(v);
    } else {
      return boost::json::value_from(std::forward<T>(v));
    }
  }
};
using Fields = std::initializer_list<Field>;

// Starts the asynchronous stdout logger. `level` is one of trace/debug/info/warn/error.
void init(std::string_view service, std::string_view level);
// Drains the queue and stops the background thread (call once, at exit, when no other thread
// logs any more).
void shutdown();
// For an exit that cannot wait for the other threads (a second signal): writes out what is
// queued, waiting at most `limit`, and leaves the logger in place, because other threads may
// still be logging until the process ends.
void flush_before_exit(std::chrono::milliseconds limit);

bool enabled(Level level);
void write(Level level, std::string_view msg, Fields fields = {});
// Lines dropped because the queue was full, for the log_messages_dropped_total metric.
std::uint64_t dropped_lines();

inline void trace(std::string_view msg, Fields fields = {}) {
  write(Level::trace, msg, fields);
}
inline void debug(std::string_view msg, Fields fields = {}) {
  write(Level::debug, msg, fields);
}
inline void info(std::string_view msg, Fields fields = {}) {
  write(Level::info, msg, fields);
}
inline void warn(std::string_view msg, Fields fields = {}) {
  write(Level::warn, msg, fields);
}
inline void error(std::string_view msg, Fields fields = {}) {
  write(Level::error, msg, fields);
}

// Renders one log line (no newline), with the current request's ids, at the end of `out`.
void render_into(std::string& out, Level level, std::string_view service, std::string_view msg,
                 Fields fields);
// The same as a string of its own. For tests.
std::string render(Level level, std::string_view service, std::string_view msg, Fields fields);

}  // namespace sre::log
