#include "http/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "core/clock.h"
#include "core/log.h"
#include "http/local_reply.h"
#include "http/request_checks.h"
#include "http/server.h"
#include "http/wire_format.h"

namespace sre::http {

using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// The read buffer starts this small, and grows (up to the head limit) only for a larger
// request: most requests fit in it.
constexpr std::size_t kReadChunk = 1024;
// After answering a request we will not read (413, 431), keep reading and discarding what the
// client still sends, for a while, so it gets to read our answer instead of a reset.
constexpr std::size_t kMaxLingerBytes = std::size_t{16} * 1024 * 1024;
constexpr std::chrono::seconds kLingerTime{5};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category();
}

// The answer to a request that could not be read, or nothing when the right move is to just
// close (the client went away, or we are shutting down).
std::optional<Response> rejection_for(const boost::system::error_code& ec, bool header_done) {
  if (ec == RequestError::uri_too_long) {
    return local_reply::protocol_error(Status::uri_too_long, "URI Too Long");
  }
  if (ec.category() == make_error_code(RequestError::missing_host).category()) {
    return local_reply::protocol_error(Status::bad_request, "Bad request");
  }
  const bool head_too_large = ec == beast_http::error::header_limit ||
                              (ec == beast_http::error::buffer_overflow && !header_done);
  if (head_too_large) {
    return local_reply::protocol_error(Status::request_header_fields_too_large,
                                       "Request header fields too large");
  }
  if (ec == beast_http::error::body_limit) {
    return local_reply::protocol_error(Status::payload_too_large, "Request body too large");
  }
  if (ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message) {
    return std::nullopt;
  }
  if (is_parse_error(ec)) {
    return local_reply::protocol_error(Status::bad_request, "Bad request");
  }
  return std::nullopt;
}

// Points the connection's log context at one request's ids while that request is served.
class LogContextDuring {
 public:
  LogContextDuring(log::RequestLogContext& context, const RequestContext& ctx) : context_(context) {
    context_ = {&ctx.request_id, &ctx.trace_id, &ctx.span_id};
  }
  ~LogContextDuring() { context_ = {}; }
  LogContextDuring(const LogContextDuring&) = delete;
  LogContextDuring& operator=(const LogContextDuring&) = delete;

 private:
  log::RequestLogContext& context_;
};

}  // namespace

Connection::Connection(Socket socket, std::string client_address, const asio::ip::address& client,
                       ConnectionHome& home, log::RequestLogContext& log_context)
    : socket_(std::move(socket)),
      client_(client),
      home_(home),
      log_context_(log_context),
      client_address_(std::move(client_address)),
      // Capped at the head limit: read_complete_head() relies on it, and a body streams
      // through it in chunks anyway.
      buffer_(home.options.max_header_bytes) {
  // Reads of a request's first bytes are tried without waiting, once the socket reported
  // it is readable (see await_request_start).
  boost::system::error_code ignored;
  socket_.non_blocking(true, ignored);
}

std::string_view Connection::buffered() const {
  auto data = buffer_.cdata();
  return {static_cast<const char*>(data.data()), data.size()};
}

void Connection::cancel_if_expired(Clock::time_point now) {
  if (deadline_ > now || timed_out_) {
    return;
  }
  timed_out_ = true;
  boost::system::error_code ignored;
  socket_.cancel(ignored);  // the pending wait, read or write ends with an error
}

void Connection::close_if_idle() {
  if (parked_ || waiting_) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }
}

void Connection::park_if_quiet() {
  // A connection whose deadline the sweep has just cancelled is closing, not parking.
  if (!waiting_ || buffer_.size() != 0 || park_requested_ || timed_out_) {
    return;
  }
  // A busy connection is caught here only now and then (between two of its requests), and
  // parking it then costs no more than starting one coroutine for its next request.
  park_requested_ = true;
  boost::system::error_code ignored;
  socket_.cancel(ignored);  // the serving coroutine's read ends, and it parks the connection
}

void Connection::start() {
  asio::co_spawn(log::LogContextExecutor(home_.executor, &log_context_), serve(), asio::detached);
}

void Connection::park() {
  if (home_.closing_idle) {
    close();
    return;
  }
  release_buffers();
  parked_ = true;
  // The deadline stays as it was armed when the wait for this request began.
  socket_.async_wait(tcp::socket::wait_read,
                     [this](const boost::system::error_code& ec) { on_readable(ec); });
}

void Connection::on_readable(const boost::system::error_code& ec) {
  parked_ = false;
  if (ec) {  // the sweep (idle timeout), shutdown, or the socket failed
    close();
    return;
  }
  start();
}

asio::awaitable<void> Connection::serve() {
  Next next = Next::close;
  try {
    next = co_await serve_until_quiet();
  } catch (const std::exception& e) {
    log::error("connection failed", {{"error", e.what()}});
  }
  if (next == Next::park) {
    park();
  } else {
    close();  // destroys this object: nothing may follow
  }
}

// One coroutine frame for as long as requests keep coming: the request's state lives here
// rather than in a frame per request, which would be too large for Asio's frame recycling
// and cost an allocation each time.
asio::awaitable<Connection::Next> Connection::serve_until_quiet() {
  for (;;) {
    const Next next = co_await await_request_start();
    if (next != Next::request) {
      co_return next;
    }
    // A request has started: all of it must arrive within the request timeout.
    RequestContext ctx;
    ctx.client_address = client_address_;
    // Log lines of this request carry its ids (once the request-id middleware set them).
    const LogContextDuring log_context(log_context_, ctx);
    arm(home_.options.request_timeout);
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(home_.options.max_header_bytes));
    parser.body_limit(home_.options.max_body_bytes);
    boost::system::error_code read_ec;
    if (!read_buffered_request(parser, read_ec)) {
      read_ec = co_await read_request(parser);
    }
    const bool header_done = parser.is_header_done();
    if (header_done) {
      ctx.request = parser.release();
    }
    if (read_ec) {
      if (timed_out_) {
        Response timed_out =
            local_reply::protocol_error(Status::request_timeout, "Request timeout");
        if (home_.on_rejected) {
          home_.on_rejected(ctx, timed_out);  // recorded only: the client is too slow to answer
        }
        co_return Next::close;
      }
      std::optional<Response> rejection = rejection_for(read_ec, header_done);
      if (rejection) {
        co_await reject(ctx, *rejection);
      }
      co_return Next::close;
    }
    if (!is_acceptable_target(ctx.request.method(), ctx.request.target())) {
      Response bad_target =
          local_reply::protocol_error(Status::bad_request, "Malformed request target");
      co_await reject(ctx, bad_target);
      co_return Next::close;
    }

    disarm();  // the handler's own time is bounded by its own deadlines, not ours
    served_any_ = true;
    Response response = co_await home_.handler(ctx);
    const bool keep_alive = ctx.request.keep_alive() && !home_.draining;
    const bool head_only = ctx.request.method() == Verb::head;
    // The write awaited here rather than through write(): a coroutine of its own per request
    // would cost more than the rendering.
    render(response, keep_alive, head_only);
    auto [write_ec, n] = co_await asio::async_write(socket_, asio::buffer(wire_), nothrow);
    disarm();
    if (write_ec || !keep_alive) {
      co_return Next::close;
    }
  }
}

void Connection::close() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  home_.closed(*this);
}

void Connection::refuse_over_cap() {
  asio::co_spawn(log::LogContextExecutor(home_.executor, &log_context_), answer_over_cap(),
                 asio::detached);
}

asio::awaitable<void> Connection::answer_over_cap() {
  Response refused = local_reply::protocol_error(Status::service_unavailable,
                                                 "Too many connections from this client");
  refused.set(beast_http::field::retry_after, "1");
  try {
    co_await write(refused, false, false);
  } catch (const std::exception& e) {
    log::error("connection failed", {{"error", e.what()}});
  }
  close();
}

asio::awaitable<Connection::Next> Connection::await_request_start() {
  for (;;) {
    buffer_.consume(leading_empty_lines(buffered()));
    // A lone CR may be the start of one more empty line: wait for what follows it.
    if (!buffered().empty() && buffered() != "\r") {
      co_return Next::request;
    }
    if (home_.closing_idle) {
      co_return Next::close;
    }
    // A new connection must start its first request as promptly as any request must arrive:
    // one that never sends a byte should not hold a descriptor for the whole idle timeout.
    arm(served_any_ ? home_.options.idle_timeout : home_.options.request_timeout);
    waiting_ = true;
    // Read straight into the buffer rather than wait for readability and then read: after a
    // short read Asio knows the socket is drained, and the next read waits for epoll's event
    // with no system call of its own. A wait re-registers the socket (epoll_ctl) every time:
    // one system call more per request.
    auto [read_ec, n] = co_await socket_.async_read_some(
        buffer_.prepare(std::min(kReadChunk, buffer_.max_size() - buffer_.size())), nothrow);
    waiting_ = false;
    if (park_requested_) {
      park_requested_ = false;
      if (read_ec == asio::error::operation_aborted) {
        co_return Next::park;
      }
    }
    if (read_ec) {
      co_return Next::close;
    }
    buffer_.commit(n);
  }
}

void Connection::release_buffers() {
  buffer_.clear();
  buffer_.shrink_to_fit();
  wire_.clear();
  wire_.shrink_to_fit();
}

bool Connection::read_buffered_request(RequestParser& parser, boost::system::error_code& ec) {
  const std::optional<boost::system::error_code> head = check_buffered_head();
  if (!head) {
    return false;  // not all of the head is here yet
  }
  ec = *head ? *head : parse_head(parser);
  return ec != beast_http::error::need_more && (ec || parser.is_done());
}

asio::awaitable<boost::system::error_code> Connection::read_request(RequestParser& parser) {
  boost::system::error_code ec;
  if (!parser.got_some()) {
    ec = co_await read_complete_head();
    if (!ec) {
      ec = parse_head(parser);
    }
  }
  if (ec == beast_http::error::need_more || (!ec && !parser.is_header_done())) {
    // Beast wants more than the blank line we saw (a field line ended by a bare LF, say):
    // it reads on, and answers 400 or times out as for any malformed head.
    auto [header_ec, n] = co_await beast_http::async_read_header(socket_, buffer_, parser, nothrow);
    ec = header_ec ? header_ec : check_request_head(parser.get(), parser.chunked());
  }
  if (!ec && !parser.is_done() && parser.get()[beast_http::field::expect] == "100-continue") {
    auto [continue_ec, n] = co_await asio::async_write(socket_, asio::buffer(kContinue), nothrow);
    ec = continue_ec;
  }
  if (!ec && !parser.is_done() && buffer_.size() != 0) {
    // The body, or its start, often came with the head: parsed without waiting, as the head.
    parser.eager(true);
    ec = parse_buffered(parser);
    if (ec == beast_http::error::need_more) {
      ec = {};
    }
  }
  if (!ec && !parser.is_done()) {
    auto [body_ec, n] = co_await beast_http::async_read(socket_, buffer_, parser, nothrow);
    ec = body_ec;
  }
  co_return ec;
}

boost::system::error_code Connection::parse_head(RequestParser& parser) {
  // Parsed here rather than by Beast's async_read_header, which would parse the same bytes and
  // then post its completion through the event loop to resume us: more than the parse costs.
  parser.eager(false);
  boost::system::error_code ec = parse_buffered(parser);
  return ec ? ec : check_request_head(parser.get(), parser.chunked());
}

boost::system::error_code Connection::parse_buffered(RequestParser& parser) {
  boost::system::error_code ec;
  buffer_.consume(parser.put(buffer_.data(), ec));
  return ec;
}

// Beast's own header_limit counts only the part of the head it has not parsed yet, so a head
// trickled in over several reads could exceed it; checking the whole head in one buffer closes
// that gap.
std::optional<boost::system::error_code> Connection::check_buffered_head() const {
  constexpr std::string_view kEndOfHead = "\r\n\r\n";
  const std::string_view received = buffered();
  // A bare "\n\n" is not a valid end of head, but Beast should see it and answer 400 rather
  // than have us wait for a terminator that will never come.
  const std::size_t end = std::min(received.find(kEndOfHead), received.find("\n\n"));
  if (end != std::string_view::npos) {
    if (has_obsolete_line_folding(received.substr(0, end))) {
      return RequestError::obsolete_line_folding;
    }
    return boost::system::error_code{};
  }
  if (buffer_.size() >= buffer_.max_size()) {
    // Not even the request line fits: the target is what is too long (414, not 431).
    if (received.find('\n') == std::string_view::npos) {
      return RequestError::uri_too_long;
    }
    return beast_http::error::header_limit;
  }
  return std::nullopt;
}

asio::awaitable<boost::system::error_code> Connection::read_complete_head() {
  for (;;) {
    if (const std::optional<boost::system::error_code> head = check_buffered_head()) {
      co_return *head;
    }
    auto space = std::min(kReadChunk, buffer_.max_size() - buffer_.size());
    auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(space), nothrow);
    if (ec) {
      co_return ec == asio::error::eof ? beast_http::error::partial_message : ec;
    }
    buffer_.commit(n);
  }
}

void Connection::render(const Response& response, bool keep_alive, bool head_only) {
  render_response(response, Framing{keep_alive, core::http_date_now(), head_only}, wire_);
  arm(home_.options.request_timeout);
}

asio::awaitable<boost::system::error_code> Connection::write(const Response& response,
                                                             bool keep_alive, bool head_only) {
  render(response, keep_alive, head_only);
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(wire_), nothrow);
  disarm();
  co_return ec;
}

asio::awaitable<void> Connection::reject(RequestContext& ctx, Response& response) {
  if (home_.on_rejected) {
    home_.on_rejected(ctx, response);
  }
  boost::system::error_code ec = co_await write(response, false, false);
  if (!ec) {
    co_await linger_close();
  }
}

// Reads and discards until the client closes or the linger time is up.
asio::awaitable<void> Connection::linger_close() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  arm(kLingerTime);
  std::array<char, 8192> sink{};
  std::size_t discarded = 0;
  while (discarded < kMaxLingerBytes) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(sink), nothrow);
    if (ec) {
      break;
    }
    discarded += n;
  }
}

}  // namespace sre::http
