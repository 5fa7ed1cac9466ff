// The RATE_LIMITS parser (ratelimit/policy.h) on arbitrary text. It must either build a table
// or name the rule at fault, never crash; a table it builds must describe itself as text that
// parses back to the same rules, and must answer a match for any request.
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
  // Described and parsed again: the same rules, field by field.
  auto again = parse_policies(table.describe());
  FUZZ_CHECK(std::holds_alternative<PolicyTable>(again));
  const auto& before = table.policies();
  const auto& after = std::get<PolicyTable>(again).policies();
  FUZZ_CHECK(before.size() == after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    FUZZ_CHECK(before[i].name == after[i].name && before[i].method == after[i].method);
    FUZZ_CHECK(before[i].path == after[i].path && before[i].prefix == after[i].prefix);
    FUZZ_CHECK(before[i].exempt == after[i].exempt);
    FUZZ_CHECK(before[i].exempt || (before[i].rate.limit == after[i].rate.limit &&
                                    before[i].rate.window == after[i].rate.window &&
                                    before[i].rate.burst == after[i].rate.burst));
  }

  for (std::string_view method : {"GET", "POST", "DELETE"}) {
    for (std::string_view route :
         {"/api/v1/students", "/api/v1/students/{student_id}", "unmatched", "/health/live", ""}) {
      const auto* policy = table.match(method, route);
      FUZZ_CHECK(policy == nullptr || policy->matches(method, route));
    }
  }
  return 0;
}
