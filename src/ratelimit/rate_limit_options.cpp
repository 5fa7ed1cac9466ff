#include "ratelimit/rate_limit_options.h"

namespace sre::ratelimit {

PolicyTable default_policies() {
  return std::get<PolicyTable>(parse_policies(kDefaultRateLimits));
}

const std::vector<core::Setting<RateLimitOptions>>& settings() {
  using core::setting;
  static const std::vector<core::Setting<RateLimitOptions>> rows{
      setting("RATE_LIMIT_ENABLED", &RateLimitOptions::enabled, core::boolean(),
              "false turns rate limiting off (benchmarks, acceptance runs)"),
      setting(
          "RATE_LIMITS", &RateLimitOptions::policies,
          core::parsed_by<PolicyTable>(
              // Empty text keeps the defaults, as if unset.
              [](std::string_view text) {
                return parse_policies(text.empty() ? kDefaultRateLimits : text);
              },
              [](const PolicyTable& table) { return table.describe(); }, "rules separated by ;"),
          "Rules '[METHOD] PATH N/s|min|h [burst B]' or '[METHOD] PATH exempt', separated by ;"),
      setting("TRUSTED_PROXIES", &RateLimitOptions::trusted_proxies,
              core::parsed_by<TrustedProxies>(
                  TrustedProxies::parse,
                  [](const TrustedProxies& proxies) { return proxies.describe(); },
                  "IPs or networks, comma-separated"),
              "Proxies (IPs or networks, comma-separated) whose X-Forwarded-For is believed"),
      setting("RATE_LIMIT_IPV6_PREFIX", &RateLimitOptions::ipv6_prefix,
              core::integer_in<unsigned>(1, 128),
              "IPv6 clients are limited per network of this many bits (64: per /64)"),
  };
  return rows;
}

}  // namespace sre::ratelimit
