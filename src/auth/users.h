// The users who may log in: name, role and argon2id password hash, kept in USERS_FILE, one
// `name:role:hash` line each (like /etc/passwd; '#' starts a comment). Written by
// `sre-playground user add`, read once at start-up by `serve`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "auth/role.h"

namespace sre::auth {

struct User {
  std::string name;
  Role role = Role::reader;
  std::string password_hash;
};

// 1..64 of letters, digits and . _ @ -
bool is_valid_user_name(std::string_view name);

class Users {
 public:
  // The users of a file's text, or a one-line reason naming the bad line.
  static std::variant<Users, std::string> parse(std::string_view text);
  // The users of `path`; a missing file is no users.
  static std::variant<Users, std::string> load(const std::string& path);

  const User* find(std::string_view name) const;
  std::size_t size() const { return users_.size(); }
  // Adds the user, or replaces the one of the same name.
  void put(User user);

  std::string text() const;
  // Writes text() to `path` (a temporary file renamed over it, mode 0600); a reason on failure.
  std::optional<std::string> save(const std::string& path) const;

 private:
  std::map<std::string, User, std::less<>> users_;
};

}  // namespace sre::auth
