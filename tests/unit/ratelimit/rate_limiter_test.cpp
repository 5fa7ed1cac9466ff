#include "ratelimit/rate_limiter.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "obs/metrics.h"

namespace sre::ratelimit {
namespace {

PolicyTable rules(std::string_view text) {
  auto parsed = parse_policies(text);
  return std::get<PolicyTable>(std::move(parsed));
}

// Asks for `n` tokens for `identity` under `policy`, one after another; how many were given.
int allowed_of(RateLimiter& limiter, const Policy& policy, const std::string& identity, int n) {
  boost::asio::io_context ioc;
  auto body = [&]() -> boost::asio::awaitable<int> {
    int allowed = 0;
    for (int i = 0; i < n; ++i) {
      const Decision decision = co_await limiter.decide(policy, identity);
      allowed += decision.allowed ? 1 : 0;
    }
    co_return allowed;
  };
  auto future = boost::asio::co_spawn(ioc, body(), boost::asio::use_future);
  ioc.run();
  return future.get();
}

TEST(RateLimiter, ScrapesHaveABuiltInLimitWhateverTheRules) {
  obs::Metrics metrics{"test"};
  RateLimiter limiter(rules("/metrics exempt; * 1/h burst 1"), nullptr, metrics);
  const Policy& scrape = limiter.scrape_policy();
  EXPECT_EQ(scrape.name, "metrics scrape");
  EXPECT_FALSE(scrape.exempt);
  EXPECT_EQ(scrape.rate.limit, 10);
  EXPECT_EQ(scrape.rate.window, std::chrono::seconds(1));
  EXPECT_EQ(scrape.rate.burst, 20);
  EXPECT_EQ(limiter.index_of(scrape), limiter.policies().policies().size());

  const std::string client = "ip:192.0.2.1";
  EXPECT_EQ(allowed_of(limiter, scrape, client, 25), 20);
  EXPECT_EQ(allowed_of(limiter, scrape, "ip:192.0.2.2", 1), 1) << "a bucket per client";
  const Policy* everything = limiter.policies().match("GET", "/api/v1/students");
  ASSERT_NE(everything, nullptr);
  EXPECT_EQ(allowed_of(limiter, *everything, client, 2), 1) << "the rules' buckets are apart";
}

}  // namespace
}  // namespace sre::ratelimit
