#include "ratelimit/client_identity.h"

#include <fmt/format.h>

namespace sre::ratelimit {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<boost::asio::ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) {
    return std::nullopt;
  }
  // ::ffff:10.0.0.1 is 10.0.0.1 seen through an IPv6 socket.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

}  // namespace

std::variant<TrustedProxies, std::string> TrustedProxies::parse(std::string_view text) {
  TrustedProxies proxies;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string entry(trim(text.substr(0, comma)));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (entry.empty()) {
      continue;
    }
    boost::system::error_code ec;
    if (entry.find('/') == std::string::npos) {
      auto address = parse_address(entry);
      if (!address) {
        return fmt::format("'{}' is not an IP address or network (e.g. 10.0.0.0/8)", entry);
      }
      entry += address->is_v4() ? "/32" : "/128";
    }
    if (entry.find(':') == std::string::npos) {
      auto network = boost::asio::ip::make_network_v4(entry, ec);
      if (!ec) {
        proxies.v4_.push_back(network.canonical());
        continue;
      }
    } else {
      auto network = boost::asio::ip::make_network_v6(entry, ec);
      if (!ec) {
        proxies.v6_.push_back(network.canonical());
        continue;
      }
    }
    return fmt::format("'{}' is not an IP address or network (e.g. 10.0.0.0/8)", entry);
  }
  return proxies;
}

bool TrustedProxies::contains(const boost::asio::ip::address& address) const {
  if (address.is_v4()) {
    boost::asio::ip::network_v4 host(address.to_v4(), 32);
    for (const auto& network : v4_) {
      if (host == network || host.is_subnet_of(network)) {
        return true;
      }
    }
    return false;
  }
  boost::asio::ip::network_v6 host(address.to_v6(), 128);
  for (const auto& network : v6_) {
    if (host == network || host.is_subnet_of(network)) {
      return true;
    }
  }
  return false;
}

std::string TrustedProxies::describe() const {
  std::string text;
  for (const auto& network : v4_) {
    text += (text.empty() ? "" : ", ") + network.to_string();
  }
  for (const auto& network : v6_) {
    text += (text.empty() ? "" : ", ") + network.to_string();
  }
  return text;
}

std::string client_ip(std::string_view peer, std::string_view forwarded_for,
                      const TrustedProxies& trusted) {
  if (trusted.empty()) {
    return std::string(peer);  // the common case costs no address parsing
  }
  auto peer_address = parse_address(peer);
  if (!peer_address || !trusted.contains(*peer_address)) {
    return std::string(peer);
  }
  // The peer is our proxy: the hop before it is the last entry of the header, and so on.
  std::string client = peer_address->to_string();
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    std::string_view hop =
        trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    auto address = parse_address(hop);
    if (!address) {
      return client;  // garbage from beyond the last trusted hop
    }
    client = address->to_string();
    if (!trusted.contains(*address)) {
      return client;
    }
  }
  return client;
}

std::string client_identity(std::string_view authenticated_subject, std::string_view client_ip,
                            unsigned ipv6_prefix) {
  if (!authenticated_subject.empty()) {
    return fmt::format("sub:{}", authenticated_subject);
  }
  if (client_ip.find(':') != std::string_view::npos) {  // only IPv6 pays for parsing
    auto address = parse_address(client_ip);
    if (address && address->is_v4()) {
      return fmt::format("ip:{}", address->to_string());
    }
    if (address && ipv6_prefix < 128) {
      boost::asio::ip::network_v6 network(address->to_v6(), ipv6_prefix);
      return fmt::format("ip:{}", network.canonical().to_string());
    }
  }
  return fmt::format("ip:{}", client_ip);
}

}  // namespace sre::ratelimit
