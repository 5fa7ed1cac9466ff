#include "ratelimit/client_identity.h"

#include <gtest/gtest.h>

#include "http/types.h"

namespace sre::ratelimit {
namespace {

TrustedProxies proxies(std::string_view text) {
  auto parsed = TrustedProxies::parse(text);
  EXPECT_TRUE(std::holds_alternative<TrustedProxies>(parsed)) << std::get<std::string>(parsed);
  return std::get<TrustedProxies>(parsed);
}

TEST(ClientIp, IgnoresForwardedForFromUntrustedPeers) {
  EXPECT_EQ(client_ip("203.0.113.9", "198.51.100.1", proxies("")), "203.0.113.9");
  EXPECT_EQ(client_ip("203.0.113.9", "198.51.100.1", proxies("10.0.0.0/8")), "203.0.113.9");
}

TEST(ClientIp, BelievesTrustedProxiesOnly) {
  auto trusted = proxies("10.0.0.0/8, 127.0.0.1");
  EXPECT_EQ(client_ip("10.1.2.3", "198.51.100.1", trusted), "198.51.100.1");
  // A client forging the header's left part cannot pick its identity: the rightmost
  // untrusted hop is the one our proxy saw.
  EXPECT_EQ(client_ip("10.1.2.3", "1.1.1.1, 198.51.100.1, 10.9.9.9", trusted), "198.51.100.1");
  EXPECT_EQ(client_ip("127.0.0.1", "10.0.0.2, 10.0.0.3", trusted), "10.0.0.2")
      << "every hop trusted: the leftmost";
  EXPECT_EQ(client_ip("10.1.2.3", "", trusted), "10.1.2.3") << "no header: the proxy itself";
  EXPECT_EQ(client_ip("10.1.2.3", "garbage, 10.0.0.5", trusted), "10.0.0.5")
      << "an entry that is not an address stops the walk at the last trusted hop";
}

TEST(ClientIp, HandlesIpv6AndMappedAddresses) {
  auto trusted = proxies("::1, fd00::/8");
  EXPECT_EQ(client_ip("::1", "2001:db8::7", trusted), "2001:db8::7");
  EXPECT_EQ(client_ip("fd00::1", " 2001:db8::8 ", trusted), "2001:db8::8");
  EXPECT_EQ(client_ip("::ffff:127.0.0.1", "192.0.2.1", proxies("127.0.0.1")), "192.0.2.1");
}

TEST(TrustedProxies, RefusesWhatIsNotAnAddressOrNetwork) {
  for (auto text : {"proxy.internal", "10.0.0.0/33", "10.0.0.1/8x", "::1/129", "1.2.3"}) {
    auto parsed = TrustedProxies::parse(text);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << text;
    EXPECT_EQ(std::get<std::string>(parsed).find('\n'), std::string::npos);
  }
}

TEST(ClientIdentity, SubjectWinsOverAddress) {
  EXPECT_EQ(client_identity("", "192.0.2.1", 64), "ip:192.0.2.1");
  EXPECT_EQ(client_identity("user-42", "192.0.2.1", 64), "sub:user-42");
}

TEST(ClientIdentity, KeysIpv6ClientsByTheirNetwork) {
  EXPECT_EQ(client_identity("", "2001:db8:1:2:aaaa::1", 64), "ip:2001:db8:1:2::/64");
  EXPECT_EQ(client_identity("", "2001:db8:1:2:bbbb::2", 64), "ip:2001:db8:1:2::/64");
  EXPECT_EQ(client_identity("", "2001:db8:1:3::1", 64), "ip:2001:db8:1:3::/64");
  EXPECT_EQ(client_identity("", "2001:db8:1:2:aaaa::1", 48), "ip:2001:db8:1::/48");
  EXPECT_EQ(client_identity("", "2001:db8::1", 128), "ip:2001:db8::1");
}

TEST(ClientIdentity, KeysMappedIpv4AsIpv4) {
  // Not masked to /64: that would put every IPv4 client of a dual-stack socket in one bucket.
  EXPECT_EQ(client_identity("", "::ffff:192.0.2.1", 64), "ip:192.0.2.1");
  EXPECT_EQ(client_identity("", "::ffff:192.0.2.2", 64), "ip:192.0.2.2");
}

TEST(ForwardedFor, JoinsEveryLineInOrder) {
  http::Request request;
  request.insert("X-Forwarded-For", "6.6.6.6");  // written by the client
  request.insert("Host", "x");
  request.insert("x-forwarded-for", "198.51.100.1, 10.0.0.7");  // appended by our proxies
  EXPECT_EQ(forwarded_for(request), "6.6.6.6, 198.51.100.1, 10.0.0.7");
  EXPECT_EQ(client_ip("10.1.1.1", forwarded_for(request), proxies("10.0.0.0/8")), "198.51.100.1");
  EXPECT_EQ(forwarded_for(http::Request{}), "");
}

}  // namespace
}  // namespace sre::ratelimit
