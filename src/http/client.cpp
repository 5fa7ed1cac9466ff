#include "http/client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <memory>
#include <optional>

#include "core/io_thread.h"
#include "core/log_context.h"

namespace sre::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxIdlePerThread = 64;

bool is_stale_connection_error(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == bhttp::error::partial_message;
}

ClientResponse failure(const boost::system::error_code& ec, std::string_view step) {
  ClientResponse response;
  response.error = ec == beast::error::timeout ? ClientError::timeout : ClientError::connection;
  response.error_message = std::string(step) + ec.message();
  return response;
}

}  // namespace

struct Client::IdleConnections {
  std::vector<beast::tcp_stream> streams;
};

Client::Client(Origin origin, std::size_t max_response_body)
    : origin_(std::move(origin)), max_response_body_(max_response_body) {}

Client::~Client() = default;

asio::awaitable<ClientResponse> Client::send(const ClientRequest& request) const {
  // Connections outlive the request that opened them: give them the plain executor.
  auto executor = log::without_log_context(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + request.timeout;

  IdleConnections* idle = nullptr;
  if (IdleConnections** slot = idle_.local()) {
    if (*slot == nullptr) {
      auto created = std::make_shared<IdleConnections>();
      *slot = created.get();
      core::keep_until_shutdown(asio::query(executor, asio::execution::context),
                                std::move(created));
    }
    idle = *slot;
  }

  bhttp::request<bhttp::string_body> message{request.method, request.target, 11};
  message.set(bhttp::field::host, origin_.host + ":" + origin_.port);
  for (const auto& [name, value] : request.headers) {
    message.set(name, value);
  }
  if (!request.body.empty()) {
    message.body() = request.body;
    message.prepare_payload();
  }
  message.keep_alive(true);

  // At most two tries: a pooled connection that turns out to be closed, then a fresh one.
  for (int use = 0; use < 2; ++use) {
    std::optional<beast::tcp_stream> stream;
    const bool reused = idle != nullptr && !idle->streams.empty();
    if (reused) {
      stream.emplace(std::move(idle->streams.back()));
      idle->streams.pop_back();
    } else {
      stream.emplace(executor);
    }
    stream->expires_at(deadline);

    if (!reused) {
      tcp::resolver resolver(executor);
      auto [resolve_ec, endpoints] =
          co_await resolver.async_resolve(origin_.host, origin_.port, nothrow);
      if (resolve_ec) {
        co_return failure(resolve_ec, "resolve: ");
      }
      auto [connect_ec, endpoint] = co_await stream->async_connect(endpoints, nothrow);
      if (connect_ec) {
        co_return failure(connect_ec, "connect: ");
      }
      stream->socket().set_option(tcp::no_delay(true));
    }

    auto [write_ec, written] = co_await bhttp::async_write(*stream, message, nothrow);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_response_body_);
    boost::system::error_code read_ec = write_ec;
    if (!write_ec) {
      auto [ec, n] = co_await bhttp::async_read(*stream, buffer, parser, nothrow);
      read_ec = ec;
    }
    if (read_ec) {
      if (reused && is_stale_connection_error(read_ec) && !parser.is_header_done()) {
        continue;  // the server closed this idle connection; try a fresh one
      }
      co_return failure(read_ec, "");
    }
    auto answer = parser.release();
    if (idle != nullptr && answer.keep_alive() && idle->streams.size() < kMaxIdlePerThread) {
      stream->expires_never();
      idle->streams.push_back(std::move(*stream));
    }
    ClientResponse response;
    response.status = static_cast<int>(answer.result_int());
    response.body = std::move(answer.body());
    response.headers = std::move(answer.base());
    co_return response;
  }
  ClientResponse closed;
  closed.error = ClientError::connection;
  closed.error_message = "connection closed by the server";
  co_return closed;
}

}  // namespace sre::http
