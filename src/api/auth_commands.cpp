#include "api/auth_commands.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "auth/password_hash.h"
#include "auth/users.h"

namespace sre::api {

namespace {

constexpr std::size_t kMinimumPasswordBytes = 8;

int refuse(const std::string& reason) {
  std::fprintf(stderr, "sre-playground: %s\n", reason.c_str());
  return 2;
}

// One line of stdin; on a terminal, prompted for and not echoed.
std::optional<std::string> read_password() {
  const bool terminal = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (terminal) {
    std::fputs("password: ", stderr);
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool read = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputs("\n", stderr);
  }
  if (!read) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

// "3600", "3600s", "90m", "1h", "7d" -> seconds.
std::optional<std::chrono::seconds> parse_ttl(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
    ++digits;
  }
  if (digits == 0 || digits > 9 || text.size() - digits > 1) {
    return std::nullopt;
  }
  const long long value = std::stoll(text.substr(0, digits));
  const char unit = digits < text.size() ? text[digits] : 's';
  switch (unit) {
    case 's':
      return std::chrono::seconds(value);
    case 'm':
      return std::chrono::minutes(value);
    case 'h':
      return std::chrono::hours(value);
    case 'd':
      return std::chrono::hours(24 * value);
    default:
      return std::nullopt;
  }
}

}  // namespace

const std::vector<core::Setting<AuthCommandConfig>>& auth_command_settings() {
  static const std::vector<core::Setting<AuthCommandConfig>> rows =
      core::nest(&AuthCommandConfig::auth, auth::settings());
  return rows;
}

int add_user(const AuthCommandConfig& config, const std::string& name, const std::string& role) {
  if (!auth::is_valid_user_name(name)) {
    return refuse("invalid user name '" + name + "' (1-64 of letters, digits and . _ @ -)");
  }
  const auto parsed_role = auth::parse_role(role);
  if (!parsed_role) {
    return refuse("--role must be one of " + std::string(auth::role_names()));
  }
  auto loaded = auth::Users::load(config.auth.users_file);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    return refuse(*error);
  }
  const auto password = read_password();
  if (!password || password->size() < kMinimumPasswordBytes) {
    return refuse("the password (one line on stdin) must be at least 8 bytes");
  }
  auto& users = std::get<auth::Users>(loaded);
  users.put({name, *parsed_role, auth::hash_password(*password)});
  if (auto error = users.save(config.auth.users_file)) {
    return refuse(*error);
  }
  std::fprintf(stderr, "sre-playground: user %s (%s) saved in %s\n", name.c_str(), role.c_str(),
               config.auth.users_file.c_str());
  return 0;
}

int print_token(const AuthCommandConfig& config, const std::string& subject,
                const std::string& role, const std::string& ttl) {
  if (subject.empty()) {
    return refuse("--sub must not be empty");
  }
  const auto parsed_role = auth::parse_role(role);
  if (!parsed_role) {
    return refuse("--role must be one of " + std::string(auth::role_names()));
  }
  const auto lifetime = parse_ttl(ttl);
  if (!lifetime || lifetime->count() <= 0) {
    return refuse("--ttl '" + ttl + "' is not a duration such as 3600, 90m, 1h or 7d");
  }
  auto codec = auth::make_codec(config.auth);
  if (auto* error = std::get_if<std::string>(&codec)) {
    return refuse(*error);
  }
  const auto& signer = std::get<auth::TokenCodec>(codec);
  if (!signer.can_sign()) {
    return refuse("JWT_ALGORITHM=RS256 needs JWT_PRIVATE_KEY_FILE to sign tokens");
  }
  std::printf("%s\n",
              signer.issue(subject, *parsed_role, *lifetime, auth::unix_seconds_now()).c_str());
  return 0;
}

}  // namespace sre::api
