#include "core/utf8.h"

#include <gtest/gtest.h>

namespace sre::core {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80"));  // ë € 😀
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));                          // U+10FFFF
}

TEST(Utf8, RefusesMalformedSequences) {
  for (std::string_view bad : {"\xFF", "\xC3\x28", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                               "\xF4\x90\x80\x80", "\xE2\x82", "\x80", "ok\xFE"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(bad);
  }
}

TEST(Utf8, DecodesCodePoints) {
  std::string_view text = "a\xC2\x9B\xE3\x80\x80";  // a, U+009B, U+3000
  std::size_t pos = 0;
  EXPECT_EQ(next_code_point(text, pos), U'a');
  EXPECT_EQ(next_code_point(text, pos), char32_t{0x9B});
  EXPECT_EQ(next_code_point(text, pos), char32_t{0x3000});
  EXPECT_EQ(pos, text.size());
}

TEST(Utf8, ReplacesEachInvalidByte) {
  EXPECT_EQ(replace_invalid_utf8("a\xFF"
                                 "b\xC3\xA9\xC3"),
            "a\xEF\xBF\xBD"
            "b\xC3\xA9\xEF\xBF\xBD");
  EXPECT_EQ(replace_invalid_utf8("ok"), "ok");
}

}  // namespace
}  // namespace sre::core
