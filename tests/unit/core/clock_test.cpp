#include "core/clock.h"

#include <gtest/gtest.h>

namespace sre::core {
namespace {

SystemTime at(long long seconds, long long micros) {
  return SystemTime{std::chrono::seconds(seconds) + std::chrono::microseconds(micros)};
}

TEST(Clock, Rfc3339Micros) {
  EXPECT_EQ(rfc3339_micros(at(1795737903, 123456)), "2026-11-27T00:05:03.123456Z");
  EXPECT_EQ(rfc3339_micros(at(0, 0)), "1970-01-01T00:00:00.000000Z");
}

TEST(Clock, ParseRfc3339UtcIsTheInverseOfRfc3339Micros) {
  for (auto time : {at(1795737903, 123456), at(0, 0), at(1795737903, 999999)}) {
    EXPECT_EQ(parse_rfc3339_utc(rfc3339_micros(time)), time) << rfc3339_micros(time);
  }
  EXPECT_EQ(parse_rfc3339_utc("2026-11-27T00:05:03Z"), at(1795737903, 0));
  EXPECT_EQ(parse_rfc3339_utc("2026-11-27T00:05:03.5Z"), at(1795737903, 500000));
  EXPECT_EQ(parse_rfc3339_utc("2026-11-27T00:05:03.123456789Z"), at(1795737903, 123456));
}

TEST(Clock, ParseRfc3339UtcRefusesWhatIsNotAUtcTimestamp) {
  for (std::string_view text :
       {"", "2026-11-27", "2026-11-27T00:05:03", "2026-11-27T00:05:03+01:00",
        "2026-11-27 00:05:03Z", "2026-13-27T00:05:03Z", "2026-11-27T24:05:03Z",
        "2026-11-27T00:05:03.Z", "2026-11-27T00:05:03.12a4Z", "2026-1x-27T00:05:03Z",
        "2026-11-27T00:05:03.1234567890Z"}) {
    EXPECT_EQ(parse_rfc3339_utc(text), std::nullopt) << text;
  }
}

TEST(Clock, Rfc3339MillisAcrossSecondsUsesTheRightPrefix) {
  EXPECT_EQ(rfc3339_millis(at(1795737903, 7000)), "2026-11-27T00:05:03.007Z");
  EXPECT_EQ(rfc3339_millis(at(1795737903, 999999)), "2026-11-27T00:05:03.999Z");
  EXPECT_EQ(rfc3339_millis(at(1795737904, 0)), "2026-11-27T00:05:04.000Z");
  EXPECT_EQ(rfc3339_millis(at(1795737903, 120000)), "2026-11-27T00:05:03.120Z");
}

TEST(Clock, HttpDate) {
  EXPECT_EQ(http_date(at(784111777, 0)), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(Clock, HttpDateNowIsTodaysDate) {
  const std::string& now = http_date_now();
  EXPECT_EQ(now.size(), 29U) << now;
  EXPECT_TRUE(now.ends_with(" GMT")) << now;
  // Same day as a freshly formatted date (the first 16 characters: "Fri, 27 Nov 2026").
  EXPECT_EQ(now.substr(0, 16), http_date(std::chrono::system_clock::now()).substr(0, 16));
}

}  // namespace
}  // namespace sre::core
