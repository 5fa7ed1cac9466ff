// One client connection: reads requests one after another (HTTP/1.1 keep-alive), hands each
// to the handler and writes the response back. Runs as a single coroutine on the I/O thread
// that accepted it. The next request is read only once the last response is written, and the
// kernel holds little unsent (TCP_NOTSENT_LOWAT, see server.cpp): a client that pipelines
// requests without reading the answers is simply no longer read from, until the write
// timeout closes it.
//
// Timeouts do not use a timer per read or write. Each connection just records a deadline
// (one store per operation); a sweep on its thread, a few times a second, cancels the ones
// whose deadline has passed (see Server). That keeps timer-heap work off the request path.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/log_context.h"
#include "http/types.h"

namespace sre::http {

struct ServerOptions;

// Called for requests the server answered itself (400, 408, 413, 414, 431), for metrics and logs.
// It may add headers to the response (X-Request-ID) before the server writes it.
using RejectionObserver = std::function<void(RequestContext&, Response&)>;

// What the sweep and the shutdown code may see of a connection (same thread only).
struct ConnectionWatch {
  using Clock = std::chrono::steady_clock;
  boost::asio::ip::tcp::socket* socket = nullptr;
  Clock::time_point deadline = Clock::time_point::max();
  bool idle = true;        // waiting for the first byte of a request
  bool timed_out = false;  // set by the sweep when it cancelled the socket
};

class Connection {
 public:
  // `log_context` is the one this connection's coroutine runs under (see
  // core/log_context.h); the connection points it at each request's ids while serving it.
  Connection(boost::asio::ip::tcp::socket socket, const ServerOptions& options,
             const Handler& handler, const RejectionObserver& on_rejected,
             const std::atomic<bool>& draining, log::RequestLogContext& log_context);

  ConnectionWatch& watch() { return watch_; }

  // Serves requests until the client leaves, an error or timeout occurs, or shutdown.
  // `stop_when_idle` is checked each time the connection becomes idle.
  asio::awaitable<void> run(const std::atomic<bool>& stop_when_idle);
  // Answers 503 without reading anything and closes: the client holds too many connections.
  asio::awaitable<void> refuse_over_cap();

 private:
  // Waits, under the idle timeout, until the buffer holds the start of a request, skipping
  // empty lines before it. False when the connection should close instead.
  asio::awaitable<bool> await_request_start(const std::atomic<bool>& stop_when_idle);
  // Reads one request into ctx.request; `header_done` tells whether its head was complete.
  asio::awaitable<boost::system::error_code> read_request(RequestContext& ctx, bool& header_done);
  asio::awaitable<boost::system::error_code> read_complete_head();
  // `head_only`: the answer to a HEAD request (headers, no body).
  asio::awaitable<boost::system::error_code> write(const Response& response, bool keep_alive,
                                                   bool head_only);
  // Answers a request the server could not accept, then closes the connection gracefully.
  // `response` is taken by reference from a named variable on purpose: g++ 12 miscompiles
  // coroutines that receive a temporary of a non-trivial type by value (the argument is
  // destroyed twice or not at all). Coroutine parameters in this project are references to
  // named objects, or trivially copyable values.
  asio::awaitable<void> reject(RequestContext& ctx, Response& response);
  asio::awaitable<void> linger_close();
  // The bytes read and not yet parsed.
  std::string_view buffered() const;
  void arm(std::chrono::steady_clock::duration timeout);
  void disarm() { watch_.deadline = ConnectionWatch::Clock::time_point::max(); }

  boost::asio::ip::tcp::socket socket_;
  const ServerOptions& options_;
  const Handler& handler_;
  const RejectionObserver& on_rejected_;
  const std::atomic<bool>& draining_;
  log::RequestLogContext& log_context_;
  std::string client_address_;
  boost::beast::flat_buffer buffer_;
  std::string wire_;  // the rendered response, reused across requests
  ConnectionWatch watch_;
  bool served_any_ = false;  // false until the first request was read
};

}  // namespace sre::http
