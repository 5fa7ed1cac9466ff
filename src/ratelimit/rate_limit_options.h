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
};

const std::vector<core::Setting<RateLimitOptions>>& settings();

}  // namespace sre::ratelimit
