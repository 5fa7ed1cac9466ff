// Authentication's settings, parsed once, and what follows from them: whether the public API
// needs a token, the token codec, and the production start-up check on the secret.
//
// Without JWT_SECRET (and outside production) tokens are signed with a built-in development
// secret, so that `make run` and `sre-playground token` work out of the box; anyone who reads
// this source can forge those tokens, which is why production refuses to start with it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/jwt.h"
#include "core/config.h"

namespace sre::auth {

struct AuthOptions {
  std::string required = "auto";  // AUTH_REQUIRED: auto (false in development), true, false
  std::string secret;             // JWT_SECRET (or JWT_SECRET_FILE)
  std::string algorithm = "HS256";
  std::string private_key_file;  // RS256: signs (POST /auth/token, `token`)
  std::string public_key_file;   // RS256: verifies
  std::string key_id;
  std::string issuer = "sre-playground";
  std::chrono::seconds token_ttl{3600};
  std::chrono::seconds leeway{30};
  std::string users_file = "./data/users";
  unsigned login_threads = 1;
  unsigned login_queue = 16;
};

const std::vector<core::Setting<AuthOptions>>& settings();

// Whether the public API needs a token in `environment` (ENVIRONMENT).
bool auth_required(const AuthOptions& options, std::string_view environment);

// Why the service must not start with these options in `environment` (production: a missing,
// known or short JWT_SECRET), or nullopt. One line, never the secret itself.
std::optional<std::string> secret_refusal(const AuthOptions& options, std::string_view environment);

// Whether tokens are signed with the built-in development secret.
bool uses_development_secret(const AuthOptions& options);

// The codec the options describe (reads the RS256 key files), or a one-line reason.
std::variant<TokenCodec, std::string> make_codec(const AuthOptions& options);

}  // namespace sre::auth
