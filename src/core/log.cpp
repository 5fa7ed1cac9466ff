#include "core/log.h"

#include <unistd.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>

#include "core/clock.h"
#include "core/json_string.h"
#include "core/log_context.h"
#include "core/log_writer.h"
#include "core/utf8.h"

namespace sre::log {
namespace {

// A thread's line buffer keeps its memory up to this size.
constexpr std::size_t kLargestBufferKept = std::size_t{16} * 1024;

// Set once by init() before any other thread logs.
std::string& service_name() {
  static std::string name = "sre-playground";
  return name;
}
// Never destroyed: threads may still log while the process exits.
LogWriter& stdout_writer() {
  static auto* writer = new LogWriter(STDOUT_FILENO);
  return *writer;
}
Level g_level = Level::info;

std::string_view name_of(Level level) {
  switch (level) {
    case Level::trace:
      return "trace";
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

Level level_from(std::string_view text) {
  for (Level level : {Level::trace, Level::debug, Level::info, Level::warn, Level::error}) {
    if (name_of(level) == text) {
      return level;
    }
  }
  return Level::info;
}

}  // namespace

void init(std::string_view service, std::string_view level) {
  service_name() = std::string(service);
  g_level = level_from(level);
  stdout_writer().start();
}

void shutdown() {
  stdout_writer().stop();
}

void flush_before_exit(std::chrono::milliseconds limit) {
  stdout_writer().flush(limit);
  std::fflush(stdout);
}

bool enabled(Level level) {
  return level >= g_level;
}

namespace {

// The keys every line starts with, in order; a field with one of these names takes its place.
enum BaseKey : std::size_t {
  kTs,
  kLevel,
  kMsg,
  kService,
  kRequestId,
  kTraceId,
  kSpanId,
  kBaseKeys
};
constexpr std::array<std::string_view, kBaseKeys> kBaseKeyNames = {
    "ts", "level", "msg", "service", "request_id", "trace_id", "span_id"};

std::optional<BaseKey> base_key_of(std::string_view key) {
  for (std::size_t k = 0; k < kBaseKeys; ++k) {
    if (kBaseKeyNames[k] == key) {
      return static_cast<BaseKey>(k);
    }
  }
  return std::nullopt;
}

void append_value(std::string& out, const Field::Value& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    core::append_json_string(out, *text);
  } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
    std::array<char, 24> digits{};
    auto [end, error] = std::to_chars(digits.begin(), digits.end(), *number);
    out.append(digits.data(), end);
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    out += *flag ? "true" : "false";
  } else {
    // Boost.JSON copies string bytes as they are: replace invalid UTF-8 as append_json_string
    // does (outside strings, serialised JSON is ASCII).
    std::string text = boost::json::serialize(std::get<boost::json::value>(value));
    if (core::is_valid_utf8(text)) {
      out += text;
    } else {
      out += core::replace_invalid_utf8(text);
    }
  }
}

// Writes `"key":` with the comma before every key but the first.
class LineWriter {
 public:
  explicit LineWriter(std::string& out) : out_(out) { out_ += '{'; }
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;
  ~LineWriter() { out_ += '}'; }

  std::string& key(std::string_view name) {
    separate();
    core::append_json_string(out_, name);
    out_ += ':';
    return out_;
  }

  // A key of ours that needs no escaping (the base keys): written as it is.
  std::string& plain_key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name;
    out_ += "\":";
    return out_;
  }

 private:
  void separate() {
    if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }

  std::string& out_;
  bool first_ = true;
};

using Replaced = std::array<const Field*, kBaseKeys>;

// One of the keys every line starts with: the field that replaces it, or its own text.
void append_base(LineWriter& line, const Replaced& replaced, BaseKey key, std::string_view text) {
  std::string& out = line.plain_key(kBaseKeyNames.at(key));
  if (const Field* field = replaced.at(key)) {
    append_value(out, field->value);
  } else {
    core::append_json_string(out, text);
  }
}

// An id of the request's log context: left out when it is unset or empty.
void append_context_id(LineWriter& line, const Replaced& replaced, BaseKey key,
                       const std::string* id) {
  if (replaced.at(key) != nullptr || (id != nullptr && !id->empty())) {
    append_base(line, replaced, key, id != nullptr ? std::string_view(*id) : std::string_view());
  }
}

}  // namespace

void render_into(std::string& out, Level level, std::string_view service, std::string_view msg,
                 Fields fields) {
  Replaced replaced{};
  for (const Field& field : fields) {
    if (auto key = base_key_of(field.key)) {
      replaced.at(*key) = &field;
    }
  }
  LineWriter line(out);
  if (replaced[kTs] != nullptr) {
    append_value(line.plain_key("ts"), replaced[kTs]->value);
  } else {
    std::string& to = line.plain_key("ts");
    to += '"';
    core::append_rfc3339_millis(to, std::chrono::system_clock::now());
    to += '"';
  }
  append_base(line, replaced, kLevel, name_of(level));
  append_base(line, replaced, kMsg, msg);
  append_base(line, replaced, kService, service);
  const RequestLogContext* context = current_request_log_context();
  append_context_id(line, replaced, kRequestId, context != nullptr ? context->request_id : nullptr);
  append_context_id(line, replaced, kTraceId, context != nullptr ? context->trace_id : nullptr);
  append_context_id(line, replaced, kSpanId, context != nullptr ? context->span_id : nullptr);
  for (const Field& field : fields) {
    if (!base_key_of(field.key)) {
      append_value(line.key(field.key), field.value);
    }
  }
}

std::string render(Level level, std::string_view service, std::string_view msg, Fields fields) {
  std::string line;
  render_into(line, level, service, msg, fields);
  return line;
}

void write(Level level, std::string_view msg, Fields fields) {
  if (!enabled(level)) {
    return;
  }
  // Each thread renders into its own buffer, reused from line to line: no allocation per line
  // once it has grown (the writer's queue copies the text).
  thread_local std::string text;
  text.clear();
  render_into(text, level, service_name(), msg, fields);
  text += '\n';
  if (LogWriter& writer = stdout_writer(); writer.running()) {
    writer.submit(text);
  } else {
    // Before init (or after shutdown): write synchronously so nothing is lost.
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  if (text.capacity() > kLargestBufferKept) {
    std::string().swap(text);  // one huge line must not pin its memory to the thread
  }
}

std::uint64_t dropped_lines() {
  return stdout_writer().dropped_lines();
}

}  // namespace sre::log
