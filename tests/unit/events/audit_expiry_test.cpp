#include "events/audit_expiry.h"

#include <gtest/gtest.h>

namespace sre::events {
namespace {

using std::chrono::days;

TEST(AuditExpiry, IsTheRecordsSecondPlusTheRetentionInDays) {
  // 2026-11-30T19:53:42Z is 1796068422 s after the epoch; 90 days are 7776000 s.
  EXPECT_EQ(audit_expires_at("2026-11-30T19:53:42.987654Z", days(90)), 1796068422 + 7'776'000);
  EXPECT_EQ(audit_expires_at("2026-11-30T19:53:42Z", days(90)), 1'803'844'422);
}

TEST(AuditExpiry, DropsTheFractionInsteadOfRoundingUp) {
  EXPECT_EQ(audit_expires_at("2024-02-29T23:59:59.999999Z", days(1)), 1'709'337'599);
}

TEST(AuditExpiry, IsNothingForATimestampThatIsNotRfc3339Utc) {
  EXPECT_EQ(audit_expires_at("2026-11-30T19:53:42+01:00", days(90)), std::nullopt);
  EXPECT_EQ(audit_expires_at("yesterday", days(90)), std::nullopt);
  EXPECT_EQ(audit_expires_at("", days(90)), std::nullopt);
}

}  // namespace
}  // namespace sre::events
