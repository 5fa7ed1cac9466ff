#include "redis/redis_url.h"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <charconv>

namespace sre::redis {

std::string RedisEndpoint::describe() const {
  return fmt::format("{}:{}/{}", host, port, database);
}

std::variant<RedisEndpoint, std::string> parse_redis_url(std::string_view text) {
  auto url = boost::urls::parse_uri(text);
  if (!url) {
    return std::string("not a URL; expected redis://[:password@]host:port/db");
  }
  if (url->scheme() != "redis") {
    return fmt::format("scheme '{}' is not supported; expected redis:// (no TLS)", url->scheme());
  }
  RedisEndpoint endpoint;
  endpoint.host = url->host_address();
  if (endpoint.host.empty()) {
    return std::string("missing host; expected redis://host:port/db");
  }
  if (url->has_port()) {
    int port = 0;
    std::string_view text = url->port();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || end != text.data() + text.size() || port < 1 || port > 65535) {
      return fmt::format("port '{}' is not in 1..65535", url->port());
    }
    endpoint.port = static_cast<std::uint16_t>(port);
  }
  if (url->has_userinfo()) {
    endpoint.username = url->user();
    endpoint.password = url->password();
    if (endpoint.password.empty() && !endpoint.username.empty()) {
      // redis://secret@host is a common way of writing a password alone.
      endpoint.password = std::move(endpoint.username);
      endpoint.username.clear();
    }
  }
  std::string_view path = url->encoded_path();
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  }
  if (!path.empty()) {
    int db = -1;
    auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), db);
    if (ec != std::errc{} || end != path.data() + path.size() || db < 0 || db > 15) {
      return fmt::format("database '{}' is not a number in 0..15", path);
    }
    endpoint.database = db;
  }
  if (url->has_query() || url->has_fragment()) {
    return std::string("query and fragment are not supported");
  }
  return endpoint;
}

}  // namespace sre::redis
