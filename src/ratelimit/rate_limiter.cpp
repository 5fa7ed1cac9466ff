#include "ratelimit/rate_limiter.h"

#include "core/log.h"

namespace sre::ratelimit {
namespace {

prometheus::Counter& local_evictions(obs::Metrics& metrics) {
  return prometheus::BuildCounter()
      .Name("rate_limit_local_evictions_total")
      .Help(
          "In-process buckets taken over by a new client before they were full (the table was "
          "full: the old client's limit restarted)")
      .Register(metrics.registry())
      .Add({});
}

Policy builtin_scrape_policy() {
  Policy policy;
  policy.name = "metrics scrape";
  policy.path = "/metrics";
  policy.rate = Rate{10, std::chrono::seconds(1), 20};
  return policy;
}

}  // namespace

RateLimiter::RateLimiter(PolicyTable policies, redis::RedisClient* redis, obs::Metrics& metrics)
    : policies_(std::move(policies)),
      scrape_(builtin_scrape_policy()),
      redis_(redis),
      local_(&local_evictions(metrics)) {
  if (redis_ != nullptr) {
    redis_limiter_ = std::make_unique<RedisLimiter>(*redis_);
  }
  auto& decisions = prometheus::BuildCounter()
                        .Name("rate_limit_decisions_total")
                        .Help("Rate-limit decisions by policy and outcome (allowed, limited)")
                        .Register(metrics.registry());
  auto count_decisions_of = [&](const Policy& policy) {
    if (policy.exempt) {
      allowed_.push_back(nullptr);
      limited_.push_back(nullptr);
      return;
    }
    allowed_.push_back(&decisions.Add({{"policy", policy.name}, {"outcome", "allowed"}}));
    limited_.push_back(&decisions.Add({{"policy", policy.name}, {"outcome", "limited"}}));
  };
  for (const auto& policy : policies_.policies()) {
    count_decisions_of(policy);
  }
  count_decisions_of(scrape_);
  fallback_decisions_ = &prometheus::BuildCounter()
                             .Name("rate_limit_fallback_decisions_total")
                             .Help(
                                 "Decisions made with in-process buckets because Redis was "
                                 "configured but unreachable (limits were per instance)")
                             .Register(metrics.registry())
                             .Add({});
  fallback_active_ = &prometheus::BuildGauge()
                          .Name("rate_limit_fallback_active")
                          .Help(
                              "1 while the rate limiter uses in-process buckets instead of the "
                              "configured Redis")
                          .Register(metrics.registry())
                          .Add({});
}

void RateLimiter::count(std::size_t index, bool allowed) {
  auto* counter = allowed ? allowed_[index] : limited_[index];
  if (counter != nullptr) {
    counter->Increment();
  }
}

void RateLimiter::enter_fallback() {
  fallback_decisions_->Increment();
  if (fallback_.failed(FallbackState::Clock::now())) {
    fallback_active_->Set(1);
    log::warn(
        "rate limiter: Redis unreachable, using in-process buckets (limits are per "
        "instance until Redis is back)",
        {{"redis", redis_->endpoint().describe()}});
  }
}

void RateLimiter::leave_fallback() {
  if (fallback_.active() && fallback_.succeeded(FallbackState::Clock::now())) {
    fallback_active_->Set(0);
    log::info("rate limiter: back on Redis", {{"redis", redis_->endpoint().describe()}});
  }
}

boost::asio::awaitable<Decision> RateLimiter::decide(const Policy& policy,
                                                     const std::string& identity) {
  const std::size_t index = index_of(policy);
  // Scrapes are limited per instance, never in Redis: the load they guard against is this
  // instance's, and a Prometheus scraping every instance from one address must not spend
  // one shared bucket on all of them.
  if (redis_limiter_ && &policy != &scrape_) {
    std::optional<Decision> shared;
    if (redis_->available()) {
      const std::string key = "ratelimit:" + policy.name + ":" + identity;
      shared = co_await redis_limiter_->take(policy.rate, key);
    }
    if (shared) {
      leave_fallback();
      count(index, shared->allowed);
      co_return *shared;
    }
    enter_fallback();
  }
  Decision local = local_.take(policy.rate, index, identity);
  count(index, local.allowed);
  co_return local;
}

}  // namespace sre::ratelimit
