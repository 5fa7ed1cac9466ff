// What the Redis client counts: commands by name and outcome, their latency, and how many
// I/O-thread connections are up. Every series is created at startup, so recording one is a
// lock-free atomic add on the request path.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <array>
#include <memory>
#include <string_view>

#include "obs/histogram.h"
#include "obs/metrics.h"

namespace sre::redis {

// The commands this service sends (the label values of redis_commands_total).
enum class RedisCommandName { get, set, del, evalsha, eval, handshake, count_ };
// ok: answered; error: answered with an error reply; timeout: no answer in time;
// unavailable: not sent, no connection.
enum class RedisOutcome { ok, error, timeout, unavailable, count_ };

std::string_view to_string(RedisCommandName name);
std::string_view to_string(RedisOutcome outcome);

class RedisMetrics {
 public:
  // Upper bounds in seconds: Redis on a local network answers in 0.1..10 ms.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

  explicit RedisMetrics(obs::Metrics& metrics);

  void record(RedisCommandName name, RedisOutcome outcome, double seconds);
  prometheus::Gauge& connected() { return *connected_; }
  prometheus::Gauge& connections() { return *connections_; }
  prometheus::Counter& reconnects() { return *reconnects_; }

 private:
  static constexpr auto kNames = static_cast<std::size_t>(RedisCommandName::count_);
  static constexpr auto kOutcomes = static_cast<std::size_t>(RedisOutcome::count_);
  std::array<std::array<prometheus::Counter*, kOutcomes>, kNames> commands_{};
  class Latency;  // redis_command_duration_seconds, collected at scrape time
  std::shared_ptr<Latency> latency_;
  prometheus::Gauge* connected_ = nullptr;
  prometheus::Gauge* connections_ = nullptr;
  prometheus::Counter* reconnects_ = nullptr;
};

}  // namespace sre::redis
