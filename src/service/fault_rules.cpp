#include "service/fault_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "resilience/backoff.h"

namespace sre::service {

namespace {

constexpr std::int64_t kMaxDurationSeconds = 86'400;
constexpr double kPartsPerMillion = 1'000'000;

// An integer in min..max, or nothing. Floats are refused, even integral ones (10.0).
std::optional<std::int64_t> integer_in(const boost::json::value& value, std::int64_t min,
                                       std::int64_t max) {
  std::optional<std::int64_t> number;
  if (value.is_int64()) {
    number = value.get_int64();
  } else if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(max)) {
    number = static_cast<std::int64_t>(value.get_uint64());
  }
  if (!number || *number < min || *number > max) {
    return std::nullopt;
  }
  return number;
}

std::string unknown_field_message(const FaultSchema& schema) {
  return fmt::format("unknown field; expected {}", fmt::join(schema.fields, ", "));
}

}  // namespace

std::optional<FaultFieldError> parse_fault_fields(const boost::json::object& body,
                                                  const FaultSchema& schema, FaultFields& out) {
  for (const auto& [key_view, value] : body) {
    const std::string_view key = key_view;
    if (std::find(schema.fields.begin(), schema.fields.end(), key) == schema.fields.end()) {
      return FaultFieldError{std::string(key), unknown_field_message(schema)};
    }
    auto invalid = [&](std::string_view rule) {
      return FaultFieldError{std::string(key), fmt::format("{} must be {}", key, rule)};
    };
    if (key == "route") {
      if (!value.is_string()) {
        return invalid("a route template string");
      }
      out.route = std::string(value.get_string());
    } else if (key == "latency_ms" || key == "latency_jitter_ms") {
      auto ms = integer_in(value, 0, schema.max_latency_ms);
      if (!ms) {
        return invalid(fmt::format("an integer in 0..{}", schema.max_latency_ms));
      }
      (key == "latency_ms" ? out.latency_ms : out.latency_jitter_ms) =
          static_cast<std::uint32_t>(*ms);
    } else if (key == "error_rate") {
      const double rate = value.is_number() ? value.to_number<double>() : -1;
      if (!value.is_number() || !std::isfinite(rate) || rate < 0 || rate > 1) {
        return invalid("a number in 0..1");
      }
      out.error_rate = rate;
    } else if (key == "error_status") {
      auto status = integer_in(value, 500, 599);
      if (!status) {
        return invalid("an integer in 500..599");
      }
      out.error_status = static_cast<int>(*status);
    } else if (key == "duration_seconds") {
      auto seconds = integer_in(value, 1, kMaxDurationSeconds);
      if (!seconds) {
        return invalid(fmt::format("an integer in 1..{}", kMaxDurationSeconds));
      }
      out.duration = std::chrono::seconds(*seconds);
    } else if (key == "outage") {
      if (!value.is_bool()) {
        return invalid("true or false");
      }
      out.outage = value.get_bool();
    }
  }
  return std::nullopt;
}

std::uint32_t rate_to_ppm(double rate) {
  return static_cast<std::uint32_t>(std::lround(rate * kPartsPerMillion));
}

double ppm_to_rate(std::uint32_t ppm) {
  return ppm / kPartsPerMillion;
}

bool fault_strikes(std::uint32_t rate_ppm) {
  return rate_ppm > 0 && resilience::thread_random01() * kPartsPerMillion < rate_ppm;
}

std::chrono::milliseconds random_jitter(std::uint32_t max_ms) {
  if (max_ms == 0) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(resilience::thread_random01() * (max_ms + 1)));
}

}  // namespace sre::service
