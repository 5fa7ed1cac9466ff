// When DynamoDB may delete an audit record (AUDIT_RETENTION_DAYS): the record's own commit
// time plus the retention, in whole seconds since the epoch, the Number that the table's Time
// to Live reads from the record's expires_at. Computed from the record's timestamp, not the
// clock at delivery, so a record sent again after an outage expires when it would have.
// Pure: unit tested.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sre::events {

// `timestamp` (RFC 3339 UTC, as the audit record holds it) truncated to the second, plus
// `retention`. nullopt when `timestamp` is not RFC 3339 UTC.
std::optional<std::int64_t> audit_expires_at(std::string_view timestamp,
                                             std::chrono::days retention);

}  // namespace sre::events
