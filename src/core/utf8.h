// UTF-8 decoding by code point, for the places that must look at characters rather than
// bytes: log lines, which must stay valid JSON whatever bytes a client sent, and the
// validation of names (Unicode whitespace, controls, noncharacters).
//
// Valid means RFC 3629: shortest form, no surrogates (U+D800-U+DFFF), nothing above U+10FFFF.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sre::core {

// Decodes the code point starting at `text[pos]` and advances `pos` past it. On an invalid
// sequence returns nullopt and advances `pos` by one byte, so a caller can resynchronise.
// `pos` must be < text.size().
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& pos);

bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of a valid sequence replaced by U+FFFD.
std::string replace_invalid_utf8(std::string_view text);

}  // namespace sre::core
