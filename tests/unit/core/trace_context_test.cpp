#include "core/trace_context.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace sre::core {
namespace {

// The example of the W3C recommendation, section 3.2.
constexpr const char* kExample = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, TheStandardsExampleIsRead) {
  const auto parsed = parse_traceparent(kExample);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parsed->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(parsed->flags, 1);
  EXPECT_EQ(format_traceparent(parsed->trace_id, parsed->parent_id, parsed->flags), kExample);
}

TEST(Traceparent, WhatTheStandardSaysToIgnoreIsRefused) {
  const std::string valid = kExample;
  for (const std::string& bad : std::vector<std::string>{
           std::string(""), std::string("garbage"), valid.substr(0, 54),  // short
           valid + "-",                                                   // 00 + more
           "ff" + valid.substr(2),                                        // version ff
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",     // uppercase
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // zero trace
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // zero span
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",     // flags
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473x-00f067aa0ba902b7-01",     // not hex
       }) {
    EXPECT_FALSE(parse_traceparent(bad)) << bad;
  }
}

TEST(Traceparent, ALaterVersionIsReadByItsFirstFields) {
  const auto parsed =
      parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_FALSE(parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
}

TEST(Traceparent, FlagsAreFormattedAsTwoHexDigits) {
  EXPECT_EQ(format_traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  EXPECT_EQ(format_traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0xab),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ab");
}

TEST(Traceparent, IdsOfAnyOtherLengthAreRefused) {
  TraceparentText text;
  EXPECT_THROW(format_traceparent(text, "4bf92f3577b34da6a3ce929d0e0e473", "00f067aa0ba902b7", 0),
               std::invalid_argument);
  EXPECT_THROW(format_traceparent(text, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b70", 0),
               std::invalid_argument);
  EXPECT_THROW(format_traceparent("", "", 1), std::invalid_argument);
}

TEST(Tracestate, PassedOnOnlyWhenPrintableAndBounded) {
  EXPECT_TRUE(is_acceptable_tracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
  EXPECT_FALSE(is_acceptable_tracestate(""));
  EXPECT_FALSE(is_acceptable_tracestate("a=b\r\nX-Injected: 1"));
  EXPECT_FALSE(is_acceptable_tracestate(std::string(513, 'a')));
}

}  // namespace
}  // namespace sre::core
