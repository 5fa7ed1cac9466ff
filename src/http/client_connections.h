// Open connections per client IP address, and the cap on them (MAX_CONNECTIONS_PER_CLIENT):
// one client must not hold every file descriptor of the process with idle or slow
// connections. Shared by every I/O thread behind a mutex, taken when a connection opens and
// when it closes, never per request.
//
// The client is the TCP peer: behind a load balancer or proxy, every connection comes from
// its few addresses, so there the cap must be raised (or 0, no cap).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <mutex>
#include <unordered_map>

namespace prometheus {
class Counter;
}

namespace sre::http {

class ClientConnections {
 public:
  // `cap` 0: no cap (nothing is counted).
  explicit ClientConnections(unsigned cap) : cap_(cap) {}

  // Counts `refused` connections (may be null).
  void count_refusals_in(prometheus::Counter* refused) { refused_ = refused; }

  // Counts a new connection from `client`. False when it already holds `cap` connections;
  // the first refusal of a run is logged (the next after the client dropped below the cap).
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
