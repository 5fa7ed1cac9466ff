// The operators' commands around authentication:
//
//   sre-playground user add NAME --role ROLE     adds (or replaces) a user in USERS_FILE; the
//                                                password is read from stdin, never argv
//   sre-playground token --sub NAME --role ROLE [--ttl 1h]
//                                                prints a signed token (for operators and tests)
//
// Both read the same authentication settings as `serve` (JWT_*, USERS_FILE), so a token
// printed here is accepted by a server started with the same environment.
#pragma once

#include <string>
#include <vector>

#include "auth/auth_options.h"
#include "core/config.h"

namespace sre::api {

struct AuthCommandConfig {
  auth::AuthOptions auth;
};

const std::vector<core::Setting<AuthCommandConfig>>& auth_command_settings();

// Exit codes: 0 done, 2 refused (one line on stderr saying why).
int add_user(const AuthCommandConfig& config, const std::string& name, const std::string& role);
int print_token(const AuthCommandConfig& config, const std::string& subject,
                const std::string& role, const std::string& ttl);

}  // namespace sre::api
