#include "auth/users.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sre::auth {

bool is_valid_user_name(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::variant<Users, std::string> Users::parse(std::string_view text) {
  Users users;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const auto first = line.find(':');
    const auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) {
      return "line " + std::to_string(number) + ": expected name:role:hash";
    }
    const auto name = line.substr(0, first);
    const auto role = parse_role(line.substr(first + 1, second - first - 1));
    const auto hash = line.substr(second + 1);
    if (!is_valid_user_name(name)) {
      return "line " + std::to_string(number) + ": invalid user name";
    }
    if (!role) {
      return "line " + std::to_string(number) + ": role is not one of " + std::string(role_names());
    }
    if (!hash.starts_with("$argon2id$")) {
      return "line " + std::to_string(number) + ": the hash is not an argon2id hash";
    }
    users.put({std::string(name), *role, std::string(hash)});
  }
  return users;
}

std::variant<Users, std::string> Users::load(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    if (errno == ENOENT) {
      return Users{};
    }
    return "cannot read " + path + ": " + std::strerror(errno);
  }
  std::stringstream content;
  content << file.rdbuf();
  auto parsed = parse(content.str());
  if (auto* error = std::get_if<std::string>(&parsed)) {
    return path + ": " + *error;
  }
  return parsed;
}

const User* Users::find(std::string_view name) const {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : &it->second;
}

void Users::put(User user) {
  auto name = user.name;
  users_.insert_or_assign(std::move(name), std::move(user));
}

std::string Users::text() const {
  std::string out = "# sre-playground users: name:role:argon2id hash (sre-playground user add)\n";
  for (const auto& [name, user] : users_) {
    out += name + ":" + std::string(to_string(user.role)) + ":" + user.password_hash + "\n";
  }
  return out;
}

std::optional<std::string> Users::save(const std::string& path) const {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return "cannot write " + temporary + ": " + std::strerror(errno);
  }
  const std::string content = text();
  std::size_t written = 0;
  while (written < content.size()) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      const int error = errno;  // before close() may change it
      ::close(fd);
      return "cannot write " + temporary + ": " + std::strerror(error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return "cannot write " + temporary + ": " + std::strerror(errno);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return "cannot replace " + path + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

}  // namespace sre::auth
