// One client connection: reads requests one after another (HTTP/1.1 keep-alive), hands each
// to the handler and writes the response back, on the I/O thread that accepted it. The next
// request is read only once the last response is written, and the kernel holds little unsent
// (TCP_NOTSENT_LOWAT, see server.cpp): a client that pipelines requests without reading the
// answers is simply no longer read from, until the write timeout closes it.
//
// Memory: most connections of a busy server are idle keep-alive ones, waiting for a client
// that may send its next request in a minute or never. The sweep (below) *parks* every
// connection it finds waiting for a request: its coroutine ends, its buffers are freed, and
// only this object and a readiness wait registered with the event loop remain (about 0.9 KiB
// in all, with the allocator of src/memory_allocator.cpp). When bytes arrive, a new coroutine
// serves them. Between sweeps a connection keeps its coroutine and buffers, so a busy one serves
// request after request without allocating.
//
// Timeouts do not use a timer per read or write. Each connection just records a deadline
// (one store per operation); a sweep on its thread, a few times a second, cancels the ones
// whose deadline has passed (see Server). That keeps timer-heap work off the request path.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/intrusive/list_hook.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/log_context.h"
#include "http/types.h"

namespace sre::http {

struct ServerOptions;
class Connection;

// Called for requests the server answered itself (400, 408, 413, 414, 431), for metrics and logs.
// It may add headers to the response (X-Request-ID) before the server writes it.
using RejectionObserver = std::function<void(RequestContext&, Response&)>;

// What the connections of one I/O thread share. Owned by the Server; outlives them.
struct ConnectionHome {
  // The thread's event loop. Its concrete type, not asio::any_io_executor: every completion
  // of a connection's coroutine goes through it, and the type-erased one allocates for that.
  asio::io_context::executor_type executor;
  const ServerOptions& options;
  const Handler& handler;
  const RejectionObserver& on_rejected;
  const std::atomic<bool>& draining;      // responses say `Connection: close`
  const std::atomic<bool>& closing_idle;  // connections close instead of parking
  // Takes a closed connection off the thread's list and destroys it.
  std::function<void(Connection&)> closed;
};

class Connection {
 public:
  using Clock = std::chrono::steady_clock;
  // A socket bound to its thread's event loop by type: smaller than one holding a
  // type-erased executor, which matters when thousands of connections sit idle.
  using Socket =
      boost::asio::ip::tcp::socket::rebind_executor<asio::io_context::executor_type>::other;

  // `log_context` is the one this connection's coroutines run under (see
  // core/log_context.h); the connection points it at each request's ids while serving it.
  // `client_address` is the peer's address as requests report it; `client` is the key it is
  // counted under for the per-client connection cap (connection_client()), unspecified when
  // it is not counted.
  Connection(Socket socket, std::string client_address, const boost::asio::ip::address& client,
             ConnectionHome& home, log::RequestLogContext& log_context);

  // Serves requests (a coroutine on the connection's thread) until the client goes quiet.
  void start();
  // Answers 503 without reading anything and closes: the client holds too many connections.
  void refuse_over_cap();

  // For the sweep and shutdown (same thread only).
  // Cancels the pending wait or I/O if the deadline has passed.
  void cancel_if_expired(Clock::time_point now);
  // Closes the connection if it is waiting for a request (shutdown).
  void close_if_idle();
  // Parks the connection if it is waiting for a request.
  void park_if_quiet();
  const boost::asio::ip::address& client() const { return client_; }
  log::RequestLogContext& log_context() { return log_context_; }

  // The thread's list of connections links them through this.
  boost::intrusive::list_member_hook<> hook;

 private:
  enum class Next { request, park, close };

  // Waits, with no buffer and no coroutine, until the client sends bytes (or the deadline).
  void park();
  void on_readable(const boost::system::error_code& ec);
  // Serves requests for as long as they keep arriving; then parks or closes.
  asio::awaitable<void> serve();
  asio::awaitable<Next> serve_until_quiet();
  // Waits, under the idle timeout, until the buffer holds the start of a request, skipping
  // empty lines before it; or says to park (the sweep asked) or to close.
  asio::awaitable<Next> await_request_start();
  using RequestParser = beast_http::request_parser<beast_http::string_body>;
  // The whole request, when it is already buffered (a small request comes in one segment):
  // parsed without waiting, so without a coroutine of its own. False when more must be read
  // first; read_request() then goes on from wherever this left the parser.
  bool read_buffered_request(RequestParser& parser, boost::system::error_code& ec);
  // Reads the rest of a request into the parser, waiting as needed.
  asio::awaitable<boost::system::error_code> read_request(RequestParser& parser);
  // Whether the buffer holds a whole request head: an error when it never will (a folded
  // line, a head over the limit), nullopt while more may complete it.
  std::optional<boost::system::error_code> check_buffered_head() const;
  // Reads until check_buffered_head() has an answer.
  asio::awaitable<boost::system::error_code> read_complete_head();
  // Parses the head in the buffer and checks what Beast lets through (check_request_head).
  boost::system::error_code parse_head(RequestParser& parser);
  // Feeds the parser the bytes already buffered, without waiting for more; need_more when
  // they did not take it as far as it goes (the end of the head, or of the body when eager).
  boost::system::error_code parse_buffered(RequestParser& parser);
  // Renders the response into wire_ and arms the write's deadline.
  void render(const Response& response, bool keep_alive, bool head_only);
  // `head_only`: the answer to a HEAD request (headers, no body).
  asio::awaitable<boost::system::error_code> write(const Response& response, bool keep_alive,
                                                   bool head_only);
  // Answers a request the server could not accept, then closes the connection gracefully.
  // `response` is taken by reference from a named variable on purpose: g++ 12 miscompiles
  // coroutines that receive a temporary of a non-trivial type by value (the argument is
  // destroyed twice or not at all). Coroutine parameters in this project are references to
  // named objects, or trivially copyable values.
  asio::awaitable<void> reject(RequestContext& ctx, Response& response);
  asio::awaitable<void> answer_over_cap();
  asio::awaitable<void> linger_close();
  // Closes the socket and hands this object back to be destroyed: the last thing it does.
  void close();
  // The bytes read and not yet parsed.
  std::string_view buffered() const;
  void arm(std::chrono::steady_clock::duration timeout) { deadline_ = Clock::now() + timeout; }
  void disarm() { deadline_ = Clock::time_point::max(); }
  void release_buffers();

  Socket socket_;
  boost::asio::ip::address client_;
  ConnectionHome& home_;
  log::RequestLogContext& log_context_;
  std::string client_address_;
  boost::beast::flat_buffer buffer_;
  std::string wire_;  // the rendered response, reused across pipelined requests
  Clock::time_point deadline_ = Clock::time_point::max();
  bool waiting_ = false;         // for the first bytes of a request, in the coroutine
  bool park_requested_ = false;  // the sweep cancelled the wait to park the connection
  bool parked_ = false;
  bool timed_out_ = false;   // set by the sweep when it cancelled the socket
  bool served_any_ = false;  // false until the first request was read
};

}  // namespace sre::http
