#include "http/client_connections.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>

namespace sre::http {
namespace {

using boost::asio::ip::make_address;

boost::asio::ip::address client() {
  return make_address("192.0.2.1");
}
boost::asio::ip::address other_client() {
  return connection_client(make_address("2001:db8::1"));
}

TEST(ConnectionClient, Ipv4AsIsIpv6ByItsSlash64) {
  EXPECT_EQ(connection_client(make_address("192.0.2.7")), make_address("192.0.2.7"));
  EXPECT_EQ(connection_client(make_address("::ffff:192.0.2.7")), make_address("192.0.2.7"));
  EXPECT_EQ(connection_client(make_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            make_address("2001:db8:1:2::"));
  EXPECT_EQ(connection_client(make_address("2001:db8:1:2::1")),
            connection_client(make_address("2001:db8:1:2:ffff::9")))
      << "one /64 is one client";
  EXPECT_NE(connection_client(make_address("2001:db8:1:2::1")),
            connection_client(make_address("2001:db8:1:3::1")));
}

TEST(ClientConnections, CapsEachClientOnItsOwn) {
  ClientConnections connections(2);
  EXPECT_TRUE(connections.try_open(client()));
  EXPECT_TRUE(connections.try_open(client()));
  EXPECT_FALSE(connections.try_open(client()));
  EXPECT_TRUE(connections.try_open(other_client()));
  connections.close(client());
  EXPECT_TRUE(connections.try_open(client())) << "a closed connection frees its slot";
  EXPECT_FALSE(connections.try_open(client()));
}

TEST(ClientConnections, ForgetsAClientThatLeft) {
  ClientConnections connections(1);
  EXPECT_TRUE(connections.try_open(client()));
  connections.close(client());
  connections.close(client());  // one close too many changes nothing
  EXPECT_TRUE(connections.try_open(client()));
  EXPECT_FALSE(connections.try_open(client()));
}

TEST(ClientConnections, CountsEveryRefusal) {
  prometheus::Counter refused;
  ClientConnections connections(1);
  connections.count_refusals_in(&refused);
  EXPECT_TRUE(connections.try_open(client()));
  EXPECT_FALSE(connections.try_open(client()));
  EXPECT_FALSE(connections.try_open(client()));
  EXPECT_TRUE(connections.try_open(other_client()));
  EXPECT_EQ(refused.Value(), 2);
}

TEST(ClientConnections, ZeroMeansNoCap) {
  prometheus::Counter refused;
  ClientConnections connections(0);
  connections.count_refusals_in(&refused);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(connections.try_open(client()));
  }
  EXPECT_EQ(refused.Value(), 0);
}

}  // namespace
}  // namespace sre::http
