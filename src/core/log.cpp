#include "core/log.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>

#include "core/clock.h"
#include "core/log_context.h"
#include "core/utf8.h"

namespace sre::log {
namespace {

constexpr std::size_t kQueueLines = 16384;

// Set once by init() before any other thread logs.
std::string& service_name() {
  static std::string name = "sre-playground";
  return name;
}
std::shared_ptr<spdlog::logger> g_logger;
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
  spdlog::init_thread_pool(kQueueLines, 1);
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  g_logger = std::make_shared<spdlog::async_logger>("json", sink, spdlog::thread_pool(),
                                                    spdlog::async_overflow_policy::overrun_oldest);
  g_logger->set_pattern("%v");
  g_logger->set_level(spdlog::level::trace);  // filtering happens in enabled()
  g_logger->flush_on(spdlog::level::trace);   // the background thread flushes each line
}

void shutdown() {
  if (g_logger) {
    g_logger->flush();
  }
  spdlog::shutdown();
  g_logger.reset();
}

bool enabled(Level level) {
  return level >= g_level;
}

std::string render(Level level, std::string_view service, std::string_view msg, Fields fields) {
  boost::json::object line;
  line.reserve(7 + fields.size());
  line["ts"] = core::rfc3339_millis(std::chrono::system_clock::now());
  line["level"] = name_of(level);
  line["msg"] = msg;
  line["service"] = service;
  if (const RequestLogContext* context = current_request_log_context()) {
    if (context->request_id != nullptr && !context->request_id->empty()) {
      line["request_id"] = *context->request_id;
    }
    if (context->trace_id != nullptr && !context->trace_id->empty()) {
      line["trace_id"] = *context->trace_id;
    }
    if (context->span_id != nullptr && !context->span_id->empty()) {
      line["span_id"] = *context->span_id;
    }
  }
  for (const auto& field : fields) {
    line[field.key] = field.value;
  }
  // Boost.JSON copies string bytes as they are, and a request target or header may carry any
  // bytes: a line with invalid UTF-8 is not JSON, and log pipelines drop it. Invalid bytes can
  // only sit inside strings (everything else is ASCII), so replacing them keeps the JSON valid.
  std::string text = boost::json::serialize(line);
  if (!core::is_valid_utf8(text)) {
    text = core::replace_invalid_utf8(text);
  }
  return text;
}

void write(Level level, std::string_view msg, Fields fields) {
  if (!enabled(level)) {
    return;
  }
  std::string text = render(level, service_name(), msg, fields);
  if (g_logger) {
    g_logger->info(text);
  } else {
    // Before init (or after shutdown): write synchronously so nothing is lost.
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }
}

std::uint64_t dropped_lines() {
  auto pool = spdlog::thread_pool();
  return pool ? pool->overrun_counter() : 0;
}

}  // namespace sre::log
