// The RATE_LIMITS parser (ratelimit/policy.h) on arbitrary text. It must either build a table
// or name the rule at fault, never crash; a table it builds must describe itself as text that
// parses back to the same table, and must answer a match for any request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_check.h"
#include "ratelimit/policy.h"

using sre::ratelimit::parse_policies;
using sre::ratelimit::PolicyTable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_policies(text);
  if (auto* reason = std::get_if<std::string>(&parsed)) {
    FUZZ_CHECK(!reason->empty());
    return 0;
  }
  const auto& table = std::get<PolicyTable>(parsed);
  const std::string described = table.describe();
  auto again = parse_policies(described);
  FUZZ_CHECK(std::holds_alternative<PolicyTable>(again));
  FUZZ_CHECK(std::get<PolicyTable>(again).describe() == described);

  for (std::string_view method : {"GET", "POST", "DELETE"}) {
    for (std::string_view route :
         {"/api/v1/students", "/api/v1/students/{student_id}", "unmatched", "/health/live", ""}) {
      const auto* policy = table.match(method, route);
      FUZZ_CHECK(policy == nullptr || policy->matches(method, route));
    }
  }
  return 0;
}
