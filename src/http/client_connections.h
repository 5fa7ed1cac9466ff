// Open connections per client, and the cap on them (MAX_CONNECTIONS_PER_CLIENT): one client
// must not hold every file descriptor of the process with idle or slow connections. Shared
// by every I/O thread behind a mutex, taken when a connection opens and when it closes,
// never per request. Owned by the Server; holds no memory for a client without connections.
//
// The client is the TCP peer, an IPv4 address or an IPv6 /64 (one host is usually handed a
// whole /64, and could rotate within it). Behind a load balancer or proxy every connection
// comes from its few addresses, so there the cap must be raised, or 0 (no cap).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <mutex>
#include <string>
#include <unordered_map>

namespace prometheus {
class Counter;
}

namespace sre::http {

// The key connections are counted under: IPv4 (also when IPv4-mapped) as is, IPv6 by /64.
boost::asio::ip::address connection_client(const boost::asio::ip::address& peer);

class ClientConnections {
 public:
  // `cap` 0: no cap (nothing is counted).
  explicit ClientConnections(unsigned cap) : cap_(cap) {}

  // Counts `refused` connections (may be null). Call before any try_open().
  void count_refusals_in(prometheus::Counter* refused) { refused_ = refused; }

  // Counts a new connection from `client` (a connection_client()). False when it already
  // holds `cap` connections; the first refusal of a run is logged, a run ending when the
  // client drops below the cap again.
  bool try_open(const boost::asio::ip::address& client);
  // Call once for every try_open() that returned true.
  void close(const boost::asio::ip::address& client);

 private:
  struct Client {
    unsigned open = 0;
    bool refusing = false;  // refused since it was last below the cap
  };

  const unsigned cap_;
  prometheus::Counter* refused_ = nullptr;
  std::mutex mutex_;
  std::unordered_map<boost::asio::ip::address, Client> clients_;
};

}  // namespace sre::http
