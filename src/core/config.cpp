#include "core/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "redis/redis_url.h"
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
  if (text.starts_with("postgres://") || text.starts_with("postgresql://")) {
    config.database_url = std::string(text);
    return std::nullopt;
  }
  if (!text.empty() && !text.starts_with("sqlite://")) {
    return std::string("must start with sqlite://, postgresql:// or postgres://");
  }
  if (text.starts_with("sqlite://") && text.size() <= std::string_view("sqlite://").size()) {
    return std::string("sqlite:// needs a path, e.g. sqlite:///var/lib/app.db");
  }
  config.database_url = std::string(text);
  return std::nullopt;
}

// Builds an `apply` function for a true/false setting (also 1/0, yes/no, on/off).
auto boolean(bool Config::*field) {
  return [field](Config& config, std::string_view text) -> std::optional<std::string> {
    static const std::set<std::string, std::less<>> yes{"true", "1", "yes", "on"};
    static const std::set<std::string, std::less<>> no{"false", "0", "no", "off"};
    if (!yes.contains(text) && !no.contains(text)) {
      return fmt::format("'{}' is not true or false", text);
    }
    config.*field = yes.contains(text);
    return std::nullopt;
  };
}

// Builds an `apply` function for a number setting within [min, max].
auto number_in(double Config::*field, double min, double max) {
  return [field, min, max](Config& config, std::string_view text) -> std::optional<std::string> {
    std::string copy(text);
    char* end = nullptr;
    double value = std::strtod(copy.c_str(), &end);
    if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(value) || value < min ||
        value > max) {
      return fmt::format("'{}' is not a number in {}..{}", text, min, max);
    }
    config.*field = value;
    return std::nullopt;
  };
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

// The grade service is reached over plain HTTP: http://host[:port][/prefix].
std::optional<std::string> check_grade_service_url(std::string_view text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) {
    return std::string("is not an absolute URL like http://127.0.0.1:8001");
  }
  if (url->scheme() != "http") {
    return std::string("must start with http:// (the grade service speaks plain HTTP)");
  }
  if (url->host().empty()) {
    return std::string("has no host");
  }
  if (url->has_port() && url->port_number() == 0) {
    return std::string("has no valid port (1..65535)");
  }
  if (url->has_query() || url->has_fragment() || url->has_userinfo()) {
    return std::string("must not have a query, fragment or user info");
  }
  return std::nullopt;
}

std::optional<std::string> apply_grade_service_url(Config& config, std::string_view text) {
  if (auto error = check_grade_service_url(text)) {
    return fmt::format("'{}' {}", text, *error);
  }
  config.grade_service_url = std::string(text);
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
        {"DATABASE_URL", "",
         "Unset: SQLite in DATA_DIR; sqlite:///path: that file; "
         "postgresql://user:pass@host:port/db "
         "(or postgres://): PostgreSQL",
         true, apply_database_url},
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
        {"DB_POOL_SIZE", text_of(d.db_pool_size),
         "PostgreSQL connections per I/O thread (requests pipeline onto them)", false,
         integer_in(&Config::db_pool_size, 1, 64)},
        {"DB_STATEMENT_TIMEOUT_MS", text_of(d.db_statement_timeout_ms),
         "PostgreSQL cancels a statement running longer than this", false,
         integer_in(&Config::db_statement_timeout_ms, 1, 600000)},
        {"DB_CONNECT_TIMEOUT_MS", text_of(d.db_connect_timeout_ms),
         "Give up a PostgreSQL connection attempt (or the wait for a free connection) after this",
         false, integer_in(&Config::db_connect_timeout_ms, 1, 600000)},
        {"AUTO_MIGRATE", "true", "serve applies pending schema migrations at start (true/false)",
         false, boolean(&Config::auto_migrate)},
        // Grade service client and resilience.
        {"GRADE_SERVICE_URL", d.grade_service_url, "Base URL of the grade service (http://)", false,
         apply_grade_service_url},
        {"GRADE_TIMEOUT_MS", text_of(d.grade_timeout_ms),
         "Timeout of one call to the grade service", false,
         integer_in(&Config::grade_timeout_ms, 1, 600'000)},
        {"GRADE_DEADLINE_MS", text_of(d.grade_deadline_ms),
         "Overall deadline of a grades lookup, retries included (a client's X-Request-Timeout-Ms "
         "may shorten it)",
         false, integer_in(&Config::grade_deadline_ms, 1, 600'000)},
        {"GRADE_MAX_ATTEMPTS", text_of(d.grade_max_attempts),
         "Attempts per lookup (1 = no retries)", false,
         integer_in(&Config::grade_max_attempts, 1, 10)},
        {"GRADE_BACKOFF_BASE_MS", text_of(d.grade_backoff_base_ms),
         "Backoff before the first retry is random in 0..this; doubles per retry", false,
         integer_in(&Config::grade_backoff_base_ms, 0, 60'000)},
        {"GRADE_BACKOFF_MAX_MS", text_of(d.grade_backoff_max_ms), "Cap of the retry backoff", false,
         integer_in(&Config::grade_backoff_max_ms, 0, 600'000)},
        {"GRADE_RETRY_BUDGET_RATIO", "0.1", "Retries may be at most this fraction of calls", false,
         number_in(&Config::grade_retry_budget_ratio, 0, 1)},
        {"GRADE_RETRY_BUDGET_MAX_TOKENS", text_of(d.grade_retry_budget_max_tokens),
         "Most retries the budget can save up", false,
         integer_in(&Config::grade_retry_budget_max_tokens, 1, 1'000'000)},
        {"GRADE_MAX_CONCURRENT_CALLS", text_of(d.grade_max_concurrent_calls),
         "Bulkhead: calls to the grade service at the same time, per process", false,
         integer_in(&Config::grade_max_concurrent_calls, 1, 100'000)},
        {"CIRCUIT_BREAKER_FAILURE_THRESHOLD", text_of(d.circuit_breaker_failure_threshold),
         "Consecutive failures that open the breaker", false,
         integer_in(&Config::circuit_breaker_failure_threshold, 1, 1000)},
        {"CIRCUIT_BREAKER_FAILURE_RATE", "0.5",
         "Failure rate over the window that opens the breaker", false,
         number_in(&Config::circuit_breaker_failure_rate, 0.01, 1)},
        {"CIRCUIT_BREAKER_WINDOW", text_of(d.circuit_breaker_window),
         "Calls in the breaker's sliding window (at most 32)", false,
         integer_in(&Config::circuit_breaker_window, 1, 32)},
        {"CIRCUIT_BREAKER_MINIMUM_CALLS", text_of(d.circuit_breaker_minimum_calls),
         "Calls the window needs before its failure rate counts", false,
         integer_in(&Config::circuit_breaker_minimum_calls, 1, 32)},
        {"CIRCUIT_BREAKER_OPEN_SECONDS", text_of(d.circuit_breaker_open_seconds),
         "How long the breaker stays open before probing", false,
         integer_in(&Config::circuit_breaker_open_seconds, 1, 86'400)},
        {"CIRCUIT_BREAKER_SLOW_CALL_MS", text_of(d.circuit_breaker_slow_call_ms),
         "A successful call slower than this counts as a failure", false,
         integer_in(&Config::circuit_breaker_slow_call_ms, 1, 600'000)},
        {"CIRCUIT_BREAKER_HALF_OPEN_PROBES", text_of(d.circuit_breaker_half_open_probes),
         "Probe calls let through at once while half-open", false,
         integer_in(&Config::circuit_breaker_half_open_probes, 1, 100)},
        // Load shedding.
        {"MAX_IN_FLIGHT", text_of(d.max_in_flight),
         "Load shedding: requests in progress per process (0 = no bound)", false,
         integer_in(&Config::max_in_flight, 0, 10'000'000)},
        {"MAX_QUEUE_DELAY_MS", text_of(d.max_queue_delay_ms),
         "Load shedding: while requests keep waiting longer than this before being handled, those "
         "that do get 503 (0 = no bound)",
         false, integer_in(&Config::max_queue_delay_ms, 0, 600'000)},
        {"REDIS_URL", "",
         "Unset: in-process cache and rate limiter; redis://[:password@]host:port/db", true,
         validated_text(&Config::redis_url, redis::parse_redis_url)},
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
         boolean(&Config::rate_limit_enabled)},
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

Config grade_service_defaults() {
  Config config;
  config.port = 8001;
  return config;
}

const std::vector<Setting>& grade_service_settings() {
  static const std::vector<Setting> settings = [] {
    const Config d = grade_service_defaults();
    std::vector<Setting> out;
    for (const auto& setting : serve_settings()) {
      for (std::string_view shared :
           {"HOST", "PORT", "LOG_LEVEL", "WORKER_THREADS", "MAX_BODY_BYTES", "MAX_HEADER_BYTES",
            "REQUEST_TIMEOUT_SECONDS", "IDLE_TIMEOUT_SECONDS"}) {
        if (setting.env == shared) {
          out.push_back(setting);
        }
      }
    }
    for (auto& setting : out) {
      if (setting.env == "PORT") {
        setting.default_text = text_of(d.port);
        setting.help = "TCP port of the grade service";
      }
    }
    out.push_back({"GRADE_ERROR_RATE", "0.3",
                   "Fraction of grade requests answered 500 at start (PUT /admin/faults changes "
                   "it)",
                   false, number_in(&Config::grade_error_rate, 0, 1)});
    out.push_back({"GRADE_LATENCY_MS", text_of(d.grade_latency_ms),
                   "Latency added to every grade answer at start", false,
                   integer_in(&Config::grade_latency_ms, 0, 600'000)});
    out.push_back({"GRADE_LATENCY_JITTER_MS", text_of(d.grade_latency_jitter_ms),
                   "Random extra latency 0..this at start", false,
                   integer_in(&Config::grade_latency_jitter_ms, 0, 600'000)});
    return out;
  }();
  return settings;
}

ConfigResult build_config(const std::map<std::string, std::string>& values) {
  return build_config(values, serve_settings(), Config{});
}

ConfigResult build_config(const std::map<std::string, std::string>& values,
                          const std::vector<Setting>& settings, Config base) {
  Config config = std::move(base);
  for (const auto& setting : settings) {
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
      {"db_pool_size", std::to_string(c.db_pool_size)},
      {"db_statement_timeout_ms", std::to_string(c.db_statement_timeout_ms)},
      {"db_connect_timeout_ms", std::to_string(c.db_connect_timeout_ms)},
      {"auto_migrate", c.auto_migrate ? "true" : "false"},
      {"grade_service_url", redact_url(c.grade_service_url)},
      {"grade_timeout_ms", std::to_string(c.grade_timeout_ms)},
      {"grade_deadline_ms", std::to_string(c.grade_deadline_ms)},
      {"grade_max_attempts", std::to_string(c.grade_max_attempts)},
      {"grade_retry_budget_ratio", fmt::format("{}", c.grade_retry_budget_ratio)},
      {"grade_max_concurrent_calls", std::to_string(c.grade_max_concurrent_calls)},
      {"circuit_breaker_failure_threshold", std::to_string(c.circuit_breaker_failure_threshold)},
      {"circuit_breaker_failure_rate", fmt::format("{}", c.circuit_breaker_failure_rate)},
      {"circuit_breaker_window", std::to_string(c.circuit_breaker_window)},
      {"circuit_breaker_minimum_calls", std::to_string(c.circuit_breaker_minimum_calls)},
      {"circuit_breaker_open_seconds", std::to_string(c.circuit_breaker_open_seconds)},
      {"circuit_breaker_slow_call_ms", std::to_string(c.circuit_breaker_slow_call_ms)},
      {"circuit_breaker_half_open_probes", std::to_string(c.circuit_breaker_half_open_probes)},
      {"max_in_flight", std::to_string(c.max_in_flight)},
      {"max_queue_delay_ms", std::to_string(c.max_queue_delay_ms)},
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
