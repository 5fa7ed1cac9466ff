#include "events/audit_expiry.h"

#include "core/clock.h"

namespace sre::events {

std::optional<std::int64_t> audit_expires_at(std::string_view timestamp,
                                             std::chrono::days retention) {
  auto committed = core::parse_rfc3339_utc(timestamp);
  if (!committed) {
    return std::nullopt;
  }
  const auto expires = std::chrono::floor<std::chrono::seconds>(*committed) + retention;
  return expires.time_since_epoch().count();
}

}  // namespace sre::events
