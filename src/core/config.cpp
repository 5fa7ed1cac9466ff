#include "core/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "cache/redis_url.h"
#include "ratelimit/client_identity.h"
#include "ratelimit/policy.h"

namespace sre::core {
namespace {

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Builds an `apply` function for an integer setting within [min, max].
template <typename Field>
auto integer_in(Field Config::*field, long long min, long long max) {
  return [field, min, max](Config& config, std::string_view text) -> std::optional<std::string> {
    auto value = parse_integer(text);
    if (!value || *value < min || *value > max) {
      return fmt::format("'{}' is not an integer in {}..{}", text, min, max);
    }
    config.*field = static_cast<Field>(*value);
    return std::nullopt;
  };
}

auto any_text(std::string Config::*field) {
  return [field](Config& config, std::string_view text) -> std::optional<std::string> {
    config.*field = std::string(text);
    return std::nullopt;
  };
}

auto non_empty_text(std::string Config::*field) {
  return [field](Config& config, std::string_view text) -> std::optional<std::string> {
    if (text.empty()) {
      return std::string("must not be empty");
    }
    config.*field = std::string(text);
    return std::nullopt;
  };
}

std::optional<std::string> apply_host(Config& config, std::string_view text) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(text), ec);
  if (ec) {
    return fmt::format("'{}' is not an IP address (e.g. 0.0.0.0, 127.0.0.1 or ::)", text);
  }
  config.host = std::string(text);
  return std::nullopt;
}

std::optional<std::string> apply_log_level(Config& config, std::string_view text) {
  static const std::set<std::string, std::less<>> levels{"trace", "debug", "info", "warn", "error"};
  if (!levels.contains(text)) {
    return fmt::format("'{}' is not one of trace, debug, info, warn, error", text);
  }
  config.log_level = std::string(text);
  return std::nullopt;
}

std::optional<std::string> apply_sample_rate(Config& config, std::string_view text) {
  char* end = nullptr;
  std::string copy(text);
  double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(value) || value < 0 ||
      value > 1) {
    return fmt::format("'{}' is not a number in 0..1", text);
  }
  config.access_log_sample_rate = value;
  return std::nullopt;
}

std::optional<std::string> apply_database_url(Config& config, std::string_view text) {
  if (!text.empty() && !text.starts_with("sqlite://")) {
    if (text.starts_with("postgres://") || text.starts_with("postgresql://")) {
      return std::string("PostgreSQL is not supported by this build yet; use sqlite:///path");
    }
    return std::string("must start with sqlite://");
  }
  if (text.starts_with("sqlite://") && text.size() <= std::string_view("sqlite://").size()) {
    return std::string("sqlite:// needs a path, e.g. sqlite:///var/lib/app.db");
  }
  config.database_url = std::string(text);
  return std::nullopt;
}

// Builds an `apply` for a text setting checked by `parse`, a parser returning either its
// result or a reason (std::variant<T, std::string>). Empty text is always accepted (unset).
template <typename Parse>
auto validated_text(std::string Config::*field, Parse parse) {
  return [field, parse](Config& config, std::string_view text) -> std::optional<std::string> {
    if (!text.empty()) {
      auto parsed = parse(text);
      if (auto* error = std::get_if<std::string>(&parsed)) {
        return *error;
      }
    }
    config.*field = std::string(text);
    return std::nullopt;
  };
}

std::optional<std::string> apply_rate_limit_enabled(Config& config, std::string_view text) {
  static const std::set<std::string, std::less<>> yes{"true", "1", "yes", "on"};
  static const std::set<std::string, std::less<>> no{"false", "0", "no", "off"};
  if (!yes.contains(text) && !no.contains(text)) {
    return fmt::format("'{}' is not true or false", text);
  }
  config.rate_limit_enabled = yes.contains(text);
  return std::nullopt;
}

std::string text_of(long long value) {
  return std::to_string(value);
}

}  // namespace

std::string Config::sqlite_path() const {
  constexpr std::string_view scheme = "sqlite://";
  if (database_url.starts_with(scheme)) {
    return database_url.substr(scheme.size());
  }
  return data_dir + "/sre-playground.db";
}

std::string Setting::flag() const {
  std::string name = "--";
  for (char c : env) {
    name += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

const std::vector<Setting>& serve_settings() {
  static const std::vector<Setting> settings = [] {
    const Config d;
    constexpr long long max_int = std::numeric_limits<int>::max();
    return std::vector<Setting>{
        {"HOST", d.host, "IP address to listen on", false, apply_host},
        {"PORT", text_of(d.port), "TCP port of the API", false,
         integer_in(&Config::port, 1, 65535)},
        {"DATA_DIR", d.data_dir, "Directory of the embedded SQLite database", false,
         non_empty_text(&Config::data_dir)},
        {"DATABASE_URL", "", "Unset: SQLite in DATA_DIR; sqlite:///path: that file", true,
         apply_database_url},
        {"ENVIRONMENT", d.environment, "Deployment environment shown by GET /", false,
         non_empty_text(&Config::environment)},
        {"APP_NAME", d.app_name, "Service name in responses, logs and metrics", false,
         non_empty_text(&Config::app_name)},
        {"LOG_LEVEL", d.log_level, "trace, debug, info, warn or error", false, apply_log_level},
        {"ACCESS_LOG_SAMPLE_RATE", "1.0",
         "Fraction (0..1) of successful requests that get an access log line; 4xx/5xx always do",
         false, apply_sample_rate},
        {"SHUTDOWN_DELAY_SECONDS", text_of(d.shutdown_delay_seconds),
         "After SIGTERM, keep serving (not ready) this long so load balancers stop sending", false,
         integer_in(&Config::shutdown_delay_seconds, 0, 3600)},
        {"SHUTDOWN_TIMEOUT_SECONDS", text_of(d.shutdown_timeout_seconds),
         "Then wait at most this long for in-flight requests", false,
         integer_in(&Config::shutdown_timeout_seconds, 0, 3600)},
        {"WORKER_THREADS", text_of(d.worker_threads), "I/O threads; 0 means one per CPU core",
         false, integer_in(&Config::worker_threads, 0, 256)},
        {"DB_THREADS", text_of(d.db_threads), "SQLite reader threads (one writer thread besides)",
         false, integer_in(&Config::db_threads, 1, 64)},
        {"MAX_BODY_BYTES", text_of(static_cast<long long>(d.max_body_bytes)),
         "Largest accepted request body; larger gets 413", false,
         integer_in(&Config::max_body_bytes, 1, 64LL * 1024 * 1024)},
        {"MAX_HEADER_BYTES", text_of(static_cast<long long>(d.max_header_bytes)),
         "Largest accepted request head; larger gets 431", false,
         integer_in(&Config::max_header_bytes, 1024, 1024LL * 1024)},
        {"REQUEST_TIMEOUT_SECONDS", text_of(d.request_timeout_seconds),
         "A started request must arrive completely within this", false,
         integer_in(&Config::request_timeout_seconds, 1, max_int)},
        {"IDLE_TIMEOUT_SECONDS", text_of(d.idle_timeout_seconds),
         "Idle keep-alive connections are closed after this", false,
         integer_in(&Config::idle_timeout_seconds, 1, max_int)},
        {"WEB_DIR", d.web_dir, "Static assets (API docs page)", false, any_text(&Config::web_dir)},
        {"REDIS_URL", "",
         "Unset: in-process cache and rate limiter; redis://[:password@]host:port/db", true,
         validated_text(&Config::redis_url, cache::parse_redis_url)},
        {"REDIS_TIMEOUT_MS", text_of(d.redis_timeout_ms),
         "A Redis command not answered within this counts as failed (the request goes on)", false,
         integer_in(&Config::redis_timeout_ms, 1, 60000)},
        {"CACHE_TTL_SECONDS", text_of(d.cache_ttl_seconds),
         "How long GET /api/v1/students/{id} answers stay cached; 0 turns caching off", false,
         integer_in(&Config::cache_ttl_seconds, 0, 86400)},
        {"CACHE_MAX_ENTRIES", text_of(d.cache_max_entries),
         "In-process cache size per I/O thread (without REDIS_URL)", false,
         integer_in(&Config::cache_max_entries, 1, 10'000'000)},
        {"RATE_LIMIT_ENABLED", "true",
         "false turns rate limiting off (benchmarks, acceptance runs)", false,
         apply_rate_limit_enabled},
        {"RATE_LIMITS", std::string(ratelimit::kDefaultRateLimits),
         "Rules '[METHOD] PATH N/s|min|h [burst B]' or '[METHOD] PATH exempt', separated by ;",
         false, validated_text(&Config::rate_limits, ratelimit::parse_policies)},
        {"TRUSTED_PROXIES", "",
         "Proxies (IPs or networks, comma-separated) whose X-Forwarded-For is believed", false,
         validated_text(&Config::trusted_proxies, ratelimit::TrustedProxies::parse)},
    };
  }();
  return settings;
}

ConfigResult build_config(const std::map<std::string, std::string>& values) {
  Config config;
  for (const auto& setting : serve_settings()) {
    auto it = values.find(setting.env);
    if (it == values.end()) {
      continue;
    }
    if (auto error = setting.apply(config, it->second)) {
      return {std::nullopt, fmt::format("invalid {}: {}", setting.env, *error)};
    }
  }
  return {config, ""};
}

std::vector<std::pair<std::string, std::string>> parse_dotenv(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> entries;
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    }
    return s;
  };
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.starts_with("export ")) {
      line = trim(line.substr(7));
    }
    auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    std::string_view key = trim(line.substr(0, equals));
    std::string_view value = trim(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (auto comment = value.find(" #"); comment != std::string_view::npos) {
      value = trim(value.substr(0, comment));
    }
    if (!key.empty()) {
      entries.emplace_back(std::string(key), std::string(value));
    }
  }
  return entries;
}

std::string redact_url(std::string_view url) {
  auto scheme_end = url.find("://");
  auto at = url.rfind('@');
  if (scheme_end == std::string_view::npos || at == std::string_view::npos || at < scheme_end) {
    return std::string(url);
  }
  auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string_view::npos || colon > at) {
    return std::string(url);
  }
  return fmt::format("{}***{}", url.substr(0, colon + 1), url.substr(at));
}

std::vector<std::pair<std::string, std::string>> describe(const Config& c) {
  return {
      {"host", c.host},
      {"port", std::to_string(c.port)},
      {"data_dir", c.data_dir},
      {"database",
       c.database_url.empty() ? "sqlite://" + c.sqlite_path() : redact_url(c.database_url)},
      {"environment", c.environment},
      {"app_name", c.app_name},
      {"log_level", c.log_level},
      {"access_log_sample_rate", fmt::format("{}", c.access_log_sample_rate)},
      {"shutdown_delay_seconds", std::to_string(c.shutdown_delay_seconds)},
      {"shutdown_timeout_seconds", std::to_string(c.shutdown_timeout_seconds)},
      {"worker_threads", std::to_string(c.worker_threads)},
      {"db_threads", std::to_string(c.db_threads)},
      {"max_body_bytes", std::to_string(c.max_body_bytes)},
      {"max_header_bytes", std::to_string(c.max_header_bytes)},
      {"request_timeout_seconds", std::to_string(c.request_timeout_seconds)},
      {"idle_timeout_seconds", std::to_string(c.idle_timeout_seconds)},
      {"web_dir", c.web_dir},
      {"redis", c.redis_url.empty() ? "in-process" : redact_url(c.redis_url)},
      {"redis_timeout_ms", std::to_string(c.redis_timeout_ms)},
      {"cache_ttl_seconds", std::to_string(c.cache_ttl_seconds)},
      {"cache_max_entries", std::to_string(c.cache_max_entries)},
      {"rate_limit_enabled", c.rate_limit_enabled ? "true" : "false"},
      {"rate_limits",
       c.rate_limits.empty() ? std::string(ratelimit::kDefaultRateLimits) : c.rate_limits},
      {"trusted_proxies", c.trusted_proxies},
  };
}

}  // namespace sre::core
