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
