// Who is asking, for rate limiting: the authenticated subject when there is one, else the
// client's IP address. The TCP peer is the client unless it is one of our own proxies
// (TRUSTED_PROXIES); only then is X-Forwarded-For believed, and only as far as it was written
// by trusted hops. Anyone can send an X-Forwarded-For header: trusting it from everybody would
// let every client pick a fresh identity per request and never be limited.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sre::ratelimit {

// A set of addresses and networks: "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8".
class TrustedProxies {
 public:
  TrustedProxies() = default;

  // The set, or a one-line reason naming the entry at fault. Empty text: trust nobody.
  static std::variant<TrustedProxies, std::string> parse(std::string_view text);

  bool contains(const boost::asio::ip::address& address) const;
  bool empty() const { return v4_.empty() && v6_.empty(); }
  std::string describe() const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

// The client's IP address as text. `peer` is the TCP peer; `forwarded_for` the
// X-Forwarded-For header ("" when absent). Walks the header from the right (the hop nearest to
// us) and returns the first address that is not a trusted proxy; when every hop is trusted, the
// leftmost. An entry that is not an IP address stops the walk: whoever wrote it is the client
// as far as we can tell, so the last trusted hop that passed it on is used.
std::string client_ip(std::string_view peer, std::string_view forwarded_for,
                      const TrustedProxies& trusted);

// The rate-limit key of a request: "sub:<subject>" once authentication sets a subject (a later
// issue), else "ip:<address>". An IPv6 client is keyed by its network of `ipv6_prefix` bits
// ("ip:2001:db8:1:2::/64"): one subscriber usually gets a whole /64, and rotating addresses
// within it must not buy a fresh bucket per address. IPv4 seen through an IPv6 socket
// (::ffff:192.0.2.1) is keyed as the IPv4 address it is.
std::string client_identity(std::string_view authenticated_subject, std::string_view client_ip,
                            unsigned ipv6_prefix);

// The value of every X-Forwarded-For line of a request, joined in order with ", " (RFC 9110
// 5.3: repeated lines are one list). A proxy may append its own line rather than extend the
// client's, so reading only the first would let the client write the part we believe.
template <typename Fields>
std::string forwarded_for(const Fields& fields) {
  std::string joined;
  auto [first, last] = fields.equal_range("X-Forwarded-For");
  for (auto line = first; line != last; ++line) {
    if (!joined.empty()) {
      joined += ", ";
    }
    joined += line->value();
  }
  return joined;
}

}  // namespace sre::ratelimit
