#include "http/client_connections.h"

#include <gtest/gtest.h>

namespace sre::http {
namespace {

const auto kClient = boost::asio::ip::make_address("192.0.2.1");
const auto kOther = boost::asio::ip::make_address("2001:db8::1");

TEST(ClientConnections, CapsEachClientOnItsOwn) {
  ClientConnections connections(2);
  EXPECT_TRUE(connections.try_open(kClient));
  EXPECT_TRUE(connections.try_open(kClient));
  EXPECT_FALSE(connections.try_open(kClient));
  EXPECT_TRUE(connections.try_open(kOther));
  connections.close(kClient);
  EXPECT_TRUE(connections.try_open(kClient)) << "a closed connection frees its slot";
  EXPECT_FALSE(connections.try_open(kClient));
}

TEST(ClientConnections, ZeroMeansNoCap) {
  ClientConnections connections(0);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(connections.try_open(kClient));
  }
}

}  // namespace
}  // namespace sre::http
