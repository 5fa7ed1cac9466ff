#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace sre::core {
namespace {

TEST(StudentId, HasThePublicFormat) {
  const std::regex format("^STU-[0-9A-F]{8}$");
  for (int i = 0; i < 1000; ++i) {
    auto id = generate_student_id();
    ASSERT_TRUE(std::regex_match(id, format)) << id;
    ASSERT_TRUE(is_generated_student_id(id)) << id;
  }
}

TEST(StudentId, IsRandomEnoughNotToRepeatInASmallSample) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    seen.insert(generate_student_id());
  }
  // 10k draws from 2^32: the chance of any collision is about 1%; more than one means a bug.
  EXPECT_GE(seen.size(), 9999U);
}

TEST(StudentId, RejectsLookAlikes) {
  EXPECT_FALSE(is_generated_student_id("STU-1234567"));
  EXPECT_FALSE(is_generated_student_id("STU-123456789"));
  EXPECT_FALSE(is_generated_student_id("stu-12345678"));
  EXPECT_FALSE(is_generated_student_id("STU-1234567g"));
  EXPECT_FALSE(is_generated_student_id("STU-abcdef12"));
  EXPECT_FALSE(is_generated_student_id("XYZ-12345678"));
  EXPECT_TRUE(is_generated_student_id("STU-ABCDEF12"));
}

TEST(RequestId, GeneratedIdsAreAcceptable) {
  auto id = generate_request_id();
  EXPECT_EQ(id.size(), 32U);
  EXPECT_TRUE(is_acceptable_request_id(id));
  EXPECT_NE(id, generate_request_id());
}

TEST(RequestId, HostileValuesAreRefused) {
  EXPECT_TRUE(is_acceptable_request_id("abc-123_x.y"));
  EXPECT_FALSE(is_acceptable_request_id(""));
  EXPECT_FALSE(is_acceptable_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_acceptable_request_id("a\nb"));
  EXPECT_FALSE(is_acceptable_request_id("<script>"));
  EXPECT_FALSE(is_acceptable_request_id("a b"));
}

TEST(TraceIds, LowercaseHexOfTheirLengthAndDifferentEachTime) {
  const auto trace = generate_trace_id();
  const auto span = generate_span_id();
  EXPECT_EQ(trace.size(), 32U);
  EXPECT_EQ(span.size(), 16U);
  EXPECT_EQ(trace.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(span.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(generate_span_id(), span);
}

TEST(Ids, PathSafeStudentIdsAreLooserThanGeneratedOnes) {
  EXPECT_TRUE(is_path_safe_student_id("STU-1A2B3C4D"));
  EXPECT_TRUE(is_path_safe_student_id("STU-123"));  // the seed's demo id
  EXPECT_TRUE(is_path_safe_student_id("a_b"));
  EXPECT_TRUE(is_path_safe_student_id(std::string(64, 'A')));
  EXPECT_FALSE(is_path_safe_student_id(""));
  EXPECT_FALSE(is_path_safe_student_id("STU 1"));
  EXPECT_FALSE(is_path_safe_student_id("../etc"));
  EXPECT_FALSE(is_path_safe_student_id("STU-1\n"));
  EXPECT_FALSE(is_path_safe_student_id(std::string(65, 'A')));
}

TEST(Ids, UuidV4HasTheVersionAndVariantBits) {
  std::set<char> variants;
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::string uuid = generate_uuid_v4();
    ASSERT_EQ(uuid.size(), 36U) << uuid;
    for (std::size_t dash : {8U, 13U, 18U, 23U}) {
      EXPECT_EQ(uuid[dash], '-') << uuid;
    }
    EXPECT_EQ(uuid[14], '4') << uuid;
    EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos) << uuid;
    for (char c : uuid) {
      EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << uuid;
    }
    variants.insert(uuid[19]);
    seen.insert(uuid);
  }
  EXPECT_EQ(variants.size(), 4U);  // all four variant digits occur: the two bits are random
  EXPECT_EQ(seen.size(), 2000U);
}

TEST(Hex, AcceptsOnlyDigitsAndLettersOfTheCaseAsked) {
  EXPECT_TRUE(is_hex("0123456789abcdef", HexCase::lower));
  EXPECT_TRUE(is_hex("0123456789ABCDEF", HexCase::upper));
  EXPECT_TRUE(is_hex("", HexCase::lower));
  EXPECT_FALSE(is_hex("abcdeF", HexCase::lower));
  EXPECT_FALSE(is_hex("ABCDEf", HexCase::upper));
  for (const char* text : {"g", "G", "/", ":", "@", "`", " 1", "-"}) {
    EXPECT_FALSE(is_hex(text, HexCase::lower)) << text;
    EXPECT_FALSE(is_hex(text, HexCase::upper)) << text;
  }
}

}  // namespace
}  // namespace sre::core
