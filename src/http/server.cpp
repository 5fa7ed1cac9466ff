#include "http/server.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <list>

#include "core/clock.h"
#include "core/log.h"
#include "http/responses.h"

namespace sre::http {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 8192;
// After answering a request we will not read (413, 431), keep reading and discarding what the
// client still sends, for a while, so it gets to read our answer instead of a reset.
constexpr std::size_t kMaxLingerBytes = std::size_t{16} * 1024 * 1024;
constexpr std::chrono::seconds kLingerTime{5};
// Back-off when accept fails for lack of file descriptors, instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// The Date header changes once a second; format it once a second per thread.
const std::string& current_http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached_text;
  auto now = std::chrono::system_clock::now();
  std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second) {
    cached_second = second;
    cached_text = core::http_date(now);
  }
  return cached_text;
}

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category();
}

// The answer to a request that could not be read, or nothing when the right move is to just
// close (the client went away, or we are shutting down).
std::optional<Response> rejection_for(const boost::system::error_code& ec, bool header_done) {
  const bool head_too_large = ec == beast_http::error::header_limit ||
                              (ec == beast_http::error::buffer_overflow && !header_done);
  if (head_too_large) {
    return protocol_error_response(Status::request_header_fields_too_large,
                                   "Request header fields too large");
  }
  if (ec == beast_http::error::body_limit) {
    return protocol_error_response(Status::payload_too_large, "Request body too large");
  }
  if (ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message) {
    return std::nullopt;
  }
  if (is_parse_error(ec)) {
    return protocol_error_response(Status::bad_request, "Bad request");
  }
  return std::nullopt;
}

std::string remote_address(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint.address().to_string();
}

}  // namespace

// State of one connection that other code on its thread may need to see: the shutdown sweep
// closes connections that are idle between requests, and leaves busy ones to finish.
struct ConnectionState {
  beast::tcp_stream* stream = nullptr;
  bool idle = true;
};

struct Server::Worker {
  explicit Worker(unsigned i) : index(i) {}
  unsigned index;
  // Concurrency hint 1: exactly one thread runs this context.
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> keep_running{ioc.get_executor()};
  tcp::acceptor acceptor{ioc};
  std::list<ConnectionState*> connections;  // touched only by this worker's thread
  std::thread thread;
};

Server::Server(ServerOptions options, Handler handler, RejectionObserver on_rejected,
               ThreadStartHook on_thread_start)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      on_rejected_(std::move(on_rejected)),
      on_thread_start_(std::move(on_thread_start)) {}

Server::~Server() {
  stop();
}

void Server::start() {
  auto address = asio::ip::make_address(options_.host);
  if (options_.port != 0) {
    // SO_REUSEPORT would let us share the port with another running instance, silently
    // splitting traffic with it. Probe with a plain bind first so "address in use" is loud.
    asio::io_context probe_context;
    tcp::acceptor probe(probe_context);
    probe.open(address.is_v6() ? tcp::v6() : tcp::v4());
    probe.set_option(tcp::acceptor::reuse_address(true));
    probe.bind({address, options_.port});
  }
  for (unsigned i = 0; i < std::max(1U, options_.threads); ++i) {
    auto worker = std::make_unique<Worker>(i);
    tcp::endpoint endpoint{address, options_.port};
    worker->acceptor.open(endpoint.protocol());
    worker->acceptor.set_option(tcp::acceptor::reuse_address(true));
    worker->acceptor.set_option(ReusePort(true));
    worker->acceptor.bind(endpoint);
    worker->acceptor.listen(asio::socket_base::max_listen_connections);
    if (options_.port == 0) {
      options_.port = worker->acceptor.local_endpoint().port();
    }
    workers_.push_back(std::move(worker));
  }
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    w->thread = std::thread([this, w] {
      if (on_thread_start_) {
        on_thread_start_(w->index);
      }
      asio::co_spawn(w->ioc, accept_loop(*w), asio::detached);
      w->ioc.run();
    });
  }
}

void Server::begin_draining() {
  draining_ = true;
}

void Server::stop_accepting() {
  draining_ = true;
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    asio::post(w->ioc, [w] {
      boost::system::error_code ignored;
      w->acceptor.close(ignored);
      for (ConnectionState* connection : w->connections) {
        if (connection->idle) {
          connection->stream->cancel();
        }
      }
    });
  }
}

void Server::stop() {
  for (auto& worker : workers_) {
    worker->keep_running.reset();
    worker->ioc.stop();
  }
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) {
      worker->thread.join();
    }
  }
}

asio::awaitable<void> Server::accept_loop(Worker& worker) {
  while (worker.acceptor.is_open()) {
    auto [ec, socket] = co_await worker.acceptor.async_accept(nothrow);
    if (ec == asio::error::operation_aborted || !worker.acceptor.is_open()) {
      co_return;
    }
    if (ec) {
      log::warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(worker.ioc, kAcceptRetryDelay);
      co_await pause.async_wait(nothrow);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(worker.ioc, serve_connection(worker, std::move(socket)), asio::detached);
  }
}

namespace {

// Reads and discards until the client closes or the linger time is up, then closes.
asio::awaitable<void> linger_close(beast::tcp_stream& stream) {
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(kLingerTime);
  std::array<char, kReadChunk> sink{};
  std::size_t discarded = 0;
  while (discarded < kMaxLingerBytes) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), nothrow);
    if (ec) {
      break;
    }
    discarded += n;
  }
  stream.close();
}

// Reads until the buffer holds a complete request head (up to the blank line), or fails with
// header_limit once the buffer is full without one. Beast's own header_limit counts only the
// part of the head it has not parsed yet, so a head trickled in over several reads could
// exceed it; checking the whole head in one buffer closes that gap.
asio::awaitable<boost::system::error_code> read_complete_head(beast::tcp_stream& stream,
                                                              beast::flat_buffer& buffer) {
  constexpr std::string_view kEndOfHead = "\r\n\r\n";
  for (;;) {
    auto data = buffer.cdata();
    std::string_view received(static_cast<const char*>(data.data()), data.size());
    // A bare "\n\n" is not a valid end of head, but Beast should see it and answer 400
    // rather than have us wait for a terminator that will never come.
    if (received.find(kEndOfHead) != std::string_view::npos ||
        received.find("\n\n") != std::string_view::npos) {
      co_return boost::system::error_code{};
    }
    if (buffer.size() >= buffer.max_size()) {
      co_return beast_http::error::header_limit;
    }
    auto space = std::min(kReadChunk, buffer.max_size() - buffer.size());
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(space), nothrow);
    if (ec) {
      co_return ec == asio::error::eof ? beast_http::error::partial_message : ec;
    }
    buffer.commit(n);
  }
}

}  // namespace

asio::awaitable<void> Server::serve_connection(Worker& worker, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  ConnectionState state{&stream, true};
  worker.connections.push_front(&state);
  auto registration = worker.connections.begin();
  ++open_connections_;
  const std::string client_address = remote_address(stream.socket());

  try {
    // Capped at the head limit: read_complete_head() relies on it, and a body is streamed
    // through it in chunks anyway.
    beast::flat_buffer buffer(options_.max_header_bytes);
    for (;;) {
      // Between requests: wait for the first byte of the next one under the idle timeout.
      if (buffer.size() == 0) {
        state.idle = true;
        if (draining_ && !worker.acceptor.is_open()) {
          break;
        }
        stream.expires_after(options_.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(
            buffer.prepare(std::min(kReadChunk, buffer.max_size())), nothrow);
        if (ec) {
          break;
        }
        buffer.commit(n);
      }
      state.idle = false;

      // A request has started: all of it must arrive within the request timeout.
      RequestContext ctx;
      ctx.client_address = client_address;
      beast_http::request_parser<beast_http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
      parser.body_limit(options_.max_body_bytes);
      stream.expires_after(options_.request_timeout);

      boost::system::error_code read_ec = co_await read_complete_head(stream, buffer);
      if (!read_ec) {
        auto [header_ec, header_bytes] =
            co_await beast_http::async_read_header(stream, buffer, parser, nothrow);
        read_ec = header_ec;
      }
      if (!read_ec && parser.get()[beast_http::field::expect] == "100-continue" &&
          !parser.is_done()) {
        beast_http::response<beast_http::empty_body> go_on{Status::continue_, 11};
        auto [continue_ec, n] = co_await beast_http::async_write(stream, go_on, nothrow);
        read_ec = continue_ec;
      }
      if (!read_ec && !parser.is_done()) {
        auto [body_ec, body_bytes] =
            co_await beast_http::async_read(stream, buffer, parser, nothrow);
        read_ec = body_ec;
      }
      if (read_ec == beast::error::timeout) {
        if (on_rejected_) {
          Response timed_out = protocol_error_response(Status::request_timeout, "Request timeout");
          on_rejected_(ctx, timed_out);  // recorded only: the socket is already closed
        }
        break;  // the stream closed the socket when the timer fired
      }
      if (read_ec) {
        auto rejection = rejection_for(read_ec, parser.is_header_done());
        if (!rejection) {
          break;
        }
        if (parser.is_header_done()) {
          ctx.request = parser.release();
        }
        rejection->set(beast_http::field::date, current_http_date());
        rejection->prepare_payload();
        if (on_rejected_) {
          on_rejected_(ctx, *rejection);
        }
        stream.expires_after(options_.request_timeout);
        co_await beast_http::async_write(stream, *rejection, nothrow);
        co_await linger_close(stream);
        break;
      }

      ctx.request = parser.release();
      auto url = boost::urls::parse_origin_form(ctx.request.target());
      if (!url) {
        Response bad = protocol_error_response(Status::bad_request, "Malformed request target");
        bad.set(beast_http::field::date, current_http_date());
        bad.prepare_payload();
        if (on_rejected_) {
          on_rejected_(ctx, bad);
        }
        stream.expires_after(options_.request_timeout);
        co_await beast_http::async_write(stream, bad, nothrow);
        co_await linger_close(stream);
        break;
      }
      ctx.url = *url;
      stream.expires_never();

      Response response = co_await handler_(ctx);
      const bool keep_alive = ctx.request.keep_alive() && !draining_;
      response.keep_alive(keep_alive);
      response.set(beast_http::field::date, current_http_date());
      response.prepare_payload();

      stream.expires_after(options_.request_timeout);
      auto [write_ec, written] = co_await beast_http::async_write(stream, response, nothrow);
      if (write_ec || !keep_alive) {
        break;
      }
    }
  } catch (const std::exception& e) {
    log::error("connection failed", {{"error", e.what()}, {"client", client_address}});
  }

  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
  worker.connections.erase(registration);
  --open_connections_;
}

}  // namespace sre::http
