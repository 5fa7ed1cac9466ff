// Base64url without padding (RFC 4648 section 5), the encoding of the three parts of a JWT.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sre::auth {

std::string base64url_encode(std::string_view bytes);
// The bytes, or nullopt when `text` holds a character outside the alphabet, padding, or a
// length no encoder produces.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace sre::auth
