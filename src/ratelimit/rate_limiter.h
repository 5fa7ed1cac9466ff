// Decides whether a client may make a request under a policy: on Redis when it is configured
// and reachable (one limit for all instances), else with the in-process buckets (one limit per
// instance). The switch is per decision, so when Redis comes back the next decision uses it.
// Entering and leaving the fallback is logged once each for the whole process (see
// fallback_state.h), counted (rate_limit_fallback_decisions_total) and shown as a gauge
// (rate_limit_fallback_active).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "obs/metrics.h"
#include "ratelimit/fallback_state.h"
#include "ratelimit/local_limiter.h"
#include "ratelimit/policy.h"
#include "ratelimit/redis_limiter.h"
#include "redis/redis_client.h"

namespace sre::ratelimit {

class RateLimiter {
 public:
  // `redis` null: in-process only (the embedded default).
  RateLimiter(PolicyTable policies, redis::RedisClient* redis, obs::Metrics& metrics);

  const PolicyTable& policies() const { return policies_; }
  // The limit on metrics scrapes, whatever RATE_LIMITS says: far above what any Prometheus
  // needs (one scrape per interval), far below what makes /metrics an amplifier (each
  // answer renders every series; thousands a second slowed everyone else down). Its buckets
  // are always in-process, one per client and instance, even when Redis is configured.
  const Policy& scrape_policy() const { return scrape_; }
  // Dense index of `policy`: one of policies(), then the scrape policy.
  std::size_t index_of(const Policy& policy) const {
    return &policy == &scrape_ ? policies_.policies().size()
                               : static_cast<std::size_t>(&policy - policies_.policies().data());
  }

  // Takes a token for `identity` under `policy` (one of policies(), or scrape_policy()).
  // References must outlive the call.
  boost::asio::awaitable<Decision> decide(const Policy& policy, const std::string& identity);

 private:
  void count(std::size_t index, bool allowed);
  void enter_fallback();
  void leave_fallback();

  PolicyTable policies_;
  Policy scrape_;
  redis::RedisClient* redis_;
  std::unique_ptr<RedisLimiter> redis_limiter_;
  LocalLimiter local_;
  FallbackState fallback_;
  std::vector<prometheus::Counter*> allowed_;  // per policy index
  std::vector<prometheus::Counter*> limited_;
  prometheus::Counter* fallback_decisions_;
  prometheus::Gauge* fallback_active_;
};

}  // namespace sre::ratelimit
