// Rate limiting's settings: whether it is on, its policies (RATE_LIMITS) and whose
// X-Forwarded-For is believed (TRUSTED_PROXIES), parsed once, here.
#pragma once

#include <vector>

#include "core/config.h"
#include "ratelimit/client_identity.h"
#include "ratelimit/policy.h"

namespace sre::ratelimit {

// kDefaultRateLimits, parsed.
PolicyTable default_policies();

struct RateLimitOptions {
  bool enabled = true;
  PolicyTable policies = default_policies();
  TrustedProxies trusted_proxies;  // empty: trust nobody
  unsigned ipv6_prefix = 64;       // IPv6 clients share a bucket per network of this size
};

const std::vector<core::Setting<RateLimitOptions>>& settings();

}  // namespace sre::ratelimit
