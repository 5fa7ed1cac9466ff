// One keep-alive connection of the load generator: connect, send a ready request, read its
// response to the end, again and again. A slow answer is cut off by the thread's watchdog
// (close_if_overdue), so no timer is armed per request.
//
// Why not the service's http::Client: a load generator must hold exactly CONNECTIONS open
// connections, each owned by one virtual client, and must not allocate per request. The
// client pools connections per I/O thread, opens more on demand, and builds a Beast response
// (headers map, body string) for every call. Here a request is a prepared buffer and a
// response is framed by response_framing.h and dropped.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loadtest/run_stats.h"

namespace sre::loadtest {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

class LoadConnection {
 public:
  explicit LoadConnection(const asio::any_io_executor& executor);

  bool is_open() const { return socket_.is_open(); }
  // False when no endpoint accepted the connection.
  asio::awaitable<bool> connect(const std::vector<asio::ip::tcp::endpoint>& endpoints);

  struct Answer {
    std::optional<Failure> failure;  // set: no answer (the connection is closed)
    int status = 0;
  };
  // Sends `request` and reads its whole response, which must arrive before `deadline`. The
  // body is copied into `body` when given (the set-up's reads), skipped otherwise.
  asio::awaitable<Answer> exchange(std::string_view request, Clock::time_point deadline,
                                   std::string* body = nullptr);

  // Called by the watchdog: closes the connection when its request is past its deadline,
  // which ends the read in progress.
  void close_if_overdue(Clock::time_point now);

 private:
  Answer fail(Failure failure);
  asio::awaitable<bool> read_more(std::size_t at_most);

  asio::ip::tcp::socket socket_;
  std::vector<char> buffer_;
  std::size_t filled_ = 0;                     // bytes of buffer_ read and not consumed yet
  std::optional<Clock::time_point> deadline_;  // while a request is out
  bool overdue_ = false;
};

}  // namespace sre::loadtest
