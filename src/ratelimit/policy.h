// Rate-limit policies: which limit applies to a request, chosen by method and route template,
// and the parser of their readable configuration text (RATE_LIMITS).
//
//   RATE_LIMITS="* 100/min burst 110; POST /api/v1/students 10/min burst 15;
//                POST /auth/token 5/min burst 5; /docs* exempt"
//
// A rule is `[METHOD] PATH LIMIT`, rules are separated by `;`.
//   METHOD  optional; GET, POST, ... (any method when absent)
//   PATH    a route template as the router knows it (/api/v1/students/{student_id}),
//           a prefix ending in `*` (/health*), or `*` alone for everything
//   LIMIT   `N/s`, `N/min` or `N/h`, optionally `burst B` (default B = N); or `exempt`
// The most specific rule wins: an exact path beats a prefix (longer prefixes first), which
// beats `*`; at equal path, a rule naming the method beats one that does not. A request no
// rule matches is not limited. Unmatched requests (404s) are matched with the path
// "unmatched", so `*` covers scanners too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ratelimit/token_bucket.h"

namespace sre::ratelimit {

struct Policy {
  std::string name;    // "default" for `*`, else the rule's "METHOD PATH": labels and headers
  std::string method;  // upper case; empty: any method
  std::string path;    // without the trailing `*` when `prefix`
  bool prefix = false;
  bool exempt = false;
  Rate rate;

  bool matches(std::string_view method, std::string_view route) const;
  int specificity() const;
  // The rule as configuration text, for the startup log.
  std::string describe() const;
};

class PolicyTable {
 public:
  PolicyTable() = default;
  explicit PolicyTable(std::vector<Policy> policies) : policies_(std::move(policies)) {}

  // The most specific policy for the request, or null when none applies. Exempt policies
  // are returned too: the caller checks `exempt`.
  const Policy* match(std::string_view method, std::string_view route) const;
  const std::vector<Policy>& policies() const { return policies_; }
  std::string describe() const;

 private:
  std::vector<Policy> policies_;
};

// The seed's limits: everything 100/min burst 110, creating students 10/min burst 15, tokens
// 5/min burst 5. (Probes and the health report are never limited, metrics scrapes have a
// limit of their own: see ratelimit/rate_limit_middleware.h.)
inline constexpr std::string_view kDefaultRateLimits =
    "* 100/min burst 110; POST /api/v1/students 10/min burst 15; "
    "POST /auth/token 5/min burst 5";

// The table, or a one-line reason naming the rule at fault.
std::variant<PolicyTable, std::string> parse_policies(std::string_view text);

}  // namespace sre::ratelimit
