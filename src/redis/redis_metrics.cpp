#include "redis/redis_metrics.h"

#include <prometheus/metric_family.h>

namespace sre::redis {

std::string_view to_string(RedisCommandName name) {
  switch (name) {
    case RedisCommandName::get:
      return "GET";
    case RedisCommandName::set:
      return "SET";
    case RedisCommandName::del:
      return "DEL";
    case RedisCommandName::evalsha:
      return "EVALSHA";
    case RedisCommandName::eval:
      return "EVAL";
    case RedisCommandName::handshake:
    case RedisCommandName::count_:
      break;
  }
  return "HANDSHAKE";
}

std::string_view to_string(RedisOutcome outcome) {
  switch (outcome) {
    case RedisOutcome::ok:
      return "ok";
    case RedisOutcome::error:
      return "error";
    case RedisOutcome::timeout:
      return "timeout";
    case RedisOutcome::unavailable:
    case RedisOutcome::count_:
      break;
  }
  return "unavailable";
}

class RedisMetrics::Latency : public prometheus::Collectable {
 public:
  void observe(double seconds) { histogram_.observe(seconds); }

  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::ClientMetric metric;
    metric.histogram = histogram_.counts().to_prometheus();
    return {prometheus::MetricFamily{
        "redis_command_duration_seconds",
        "Time from sending a Redis command to its reply (answered commands only)",
        prometheus::MetricType::Histogram,
        {metric}}};
  }

 private:
  obs::Histogram<kBuckets> histogram_;
};

RedisMetrics::RedisMetrics(obs::Metrics& metrics) : latency_(std::make_shared<Latency>()) {
  auto& registry = metrics.registry();
  auto& commands = prometheus::BuildCounter()
                       .Name("redis_commands_total")
                       .Help("Redis commands by name and outcome (ok, error, timeout, unavailable)")
                       .Register(registry);
  for (std::size_t n = 0; n < kNames; ++n) {
    for (std::size_t o = 0; o < kOutcomes; ++o) {
      commands_[n][o] =
          &commands.Add({{"command", std::string(to_string(static_cast<RedisCommandName>(n)))},
                         {"outcome", std::string(to_string(static_cast<RedisOutcome>(o)))}});
    }
  }
  connected_ = &prometheus::BuildGauge()
                    .Name("redis_connections_up")
                    .Help("Redis connections (one per I/O thread) that are connected right now")
                    .Register(registry)
                    .Add({});
  connections_ = &prometheus::BuildGauge()
                      .Name("redis_connections")
                      .Help("Redis connections this process keeps (one per I/O thread)")
                      .Register(registry)
                      .Add({});
  reconnects_ = &prometheus::BuildCounter()
                     .Name("redis_connection_failures_total")
                     .Help("Redis connections lost or connection attempts that failed")
                     .Register(registry)
                     .Add({});
  metrics.add_collectable(latency_);
}

void RedisMetrics::record(RedisCommandName name, RedisOutcome outcome, double seconds) {
  commands_[static_cast<std::size_t>(name)][static_cast<std::size_t>(outcome)]->Increment();
  if (outcome == RedisOutcome::ok || outcome == RedisOutcome::error) {
    latency_->observe(seconds);
  }
}

}  // namespace sre::redis
