// JSON string literals written straight into a buffer. The log writer (core/log.cpp) renders a
// line for every request, and building a JSON document to serialise it cost more than the
// request itself; this writes the same text with no allocation beyond the buffer's growth.
#pragma once

#include <string>
#include <string_view>

namespace sre::core {

// Appends `text` as a quoted JSON string, escaped as Boost.JSON's serializer escapes it: `"` and
// `\`, control characters as \b \f \n \r \t or \u00xx. Every byte that is not part of valid
// UTF-8 becomes U+FFFD, so the result is valid JSON whatever bytes `text` holds (a request
// target may carry any).
void append_json_string(std::string& out, std::string_view text);

// True when every byte of `text` goes into a JSON string as it is: ASCII from the space up,
// other than `"` and `\`. Eight bytes at a time.
bool is_plain_json_text(std::string_view text);

}  // namespace sre::core
