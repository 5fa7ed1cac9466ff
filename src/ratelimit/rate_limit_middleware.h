// Rate limiting as middleware: picks the policy for the request's method and route template,
// resolves who is asking (ratelimit/client_identity.h), takes a token, and either answers 429
// or passes the request on. Every limited response (allowed or not) carries the bucket's state:
//
//   X-RateLimit-Limit: 15         the bucket's capacity (burst)
//   X-RateLimit-Remaining: 9      tokens left after this request
//   X-RateLimit-Reset: 36         seconds until the bucket is full again
//   RateLimit-Policy: "POST /api/v1/students";q=10;w=60    IETF draft: quota per window
//   RateLimit: "POST /api/v1/students";r=9;t=36            IETF draft: remaining, reset
//
// and a refusal is 429 {"error":"Rate limit exceeded","retry_after":N} with Retry-After: N.
//
// Never limited, whatever the rules say (by route tag, see never_rate_limited()): liveness
// and readiness probes and the /health report. A throttled probe makes an orchestrator
// restart a healthy instance or pull it from the load balancer. Metrics scrapes get their
// own built-in limit instead of RATE_LIMITS' (RateLimiter::scrape_policy(): 10/s, burst 20
// per client): no scraper comes near it, so a scrape is never throttled, while /metrics
// cannot be used to amplify load.
#pragma once

#include <string>
#include <vector>

#include "http/middleware.h"
#include "http/router.h"
#include "ratelimit/client_identity.h"
#include "ratelimit/rate_limit_options.h"
#include "ratelimit/rate_limiter.h"

namespace sre::ratelimit {

// Whether requests to routes of kind `tag` bypass the limiter.
bool never_rate_limited(http::RouteTag tag);

class RateLimitMiddleware : public http::Middleware {
 public:
  // Reads whom to trust and how to key IPv6 clients from `options`.
  RateLimitMiddleware(RateLimiter& limiter, const RateLimitOptions& options);

  // Not on the routes that are never rate limited.
  bool applies_to(const http::RequestContext& ctx) const override;
  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx, http::Next next) override;

 private:
  void add_headers(http::Response& response, const Policy& policy, const Decision& decision) const;

  RateLimiter& limiter_;
  TrustedProxies trusted_;
  unsigned ipv6_prefix_;
  // Per policy index, formatted once: every limited response carries them.
  struct PolicyText {
    std::string quoted_name;  // the policy's name as a structured-field string
    std::string burst;        // X-RateLimit-Limit
    std::string policy;       // RateLimit-Policy
  };
  std::vector<PolicyText> policy_texts_;
};

}  // namespace sre::ratelimit
