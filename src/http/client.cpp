#include "http/client.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "core/io_thread.h"
#include "core/log_context.h"

namespace sre::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxIdlePerThread = 64;

bool is_stale_connection_error(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == bhttp::error::partial_message || ec == asio::ssl::error::stream_truncated;
}

ClientResponse failure(const boost::system::error_code& ec, std::string_view step) {
  ClientResponse response;
  response.error = ec == beast::error::timeout ? ClientError::timeout : ClientError::connection;
  response.error_message = std::string(step) + ec.message();
  return response;
}

// A failed handshake, with OpenSSL's reason when the certificate was refused ("unable to get
// local issuer certificate", "hostname mismatch", ...).
ClientResponse tls_failure(const boost::system::error_code& ec, TlsStream& stream) {
  ClientResponse response = failure(ec, "tls handshake: ");
  if (response.error == ClientError::timeout) {
    return response;
  }
  response.error = ClientError::tls;
  const long verified = SSL_get_verify_result(stream.native_handle());
  if (verified != X509_V_OK) {
    response.error_message += std::string(": ") + X509_verify_cert_error_string(verified);
  }
  return response;
}

// The name the server's certificate must carry: `host` as an IP address, or as a DNS name,
// which is then also sent as SNI (RFC 6066 allows no address there).
bool expect_peer_named(SSL* ssl, const std::string& host) {
  boost::system::error_code not_an_address;
  asio::ip::make_address(host, not_an_address);
  if (!not_an_address) {
    return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  }
  return SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
}

}  // namespace

struct Client::IdleConnections {
  std::vector<PlainStream> plain;
  std::vector<TlsStream> tls;

  template <typename Stream>
  std::vector<Stream>& of() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      return tls;
    } else {
      return plain;
    }
  }
};

Client::Client(Origin origin, std::size_t max_response_body, TlsContext tls)
    : origin_(std::move(origin)), max_response_body_(max_response_body), tls_(std::move(tls)) {}

Client::~Client() = default;

asio::awaitable<ClientResponse> Client::send(const ClientRequest& request) const {
  if (tls_) {
    return send_over<TlsStream>(request);
  }
  return send_over<PlainStream>(request);
}

Client::IdleConnections* Client::idle_connections(const asio::any_io_executor& executor) const {
  IdleConnections** slot = idle_.local();
  if (slot == nullptr) {
    return nullptr;
  }
  if (*slot == nullptr) {
    auto created = std::make_shared<IdleConnections>();
    *slot = created.get();
    core::keep_until_shutdown(asio::query(executor, asio::execution::context), std::move(created));
  }
  return *slot;
}

template <typename Stream>
asio::awaitable<ClientResponse> Client::send_over(const ClientRequest& request) const {
  constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  // Connections outlive the request that opened them: give them the plain executor.
  auto executor = log::without_log_context(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + request.timeout;
  IdleConnections* idle = idle_connections(executor);

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
    std::optional<Stream> stream;
    const bool reused = idle != nullptr && !idle->of<Stream>().empty();
    if (reused) {
      stream.emplace(std::move(idle->of<Stream>().back()));
      idle->of<Stream>().pop_back();
    } else if constexpr (kTls) {
      stream.emplace(executor, *tls_);
    } else {
      stream.emplace(executor);
    }
    auto& tcp_stream = beast::get_lowest_layer(*stream);
    tcp_stream.expires_at(deadline);

    if (!reused) {
      tcp::resolver resolver(executor);
      auto [resolve_ec, endpoints] =
          co_await resolver.async_resolve(origin_.host, origin_.port, nothrow);
      if (resolve_ec) {
        co_return failure(resolve_ec, "resolve: ");
      }
      auto [connect_ec, endpoint] = co_await tcp_stream.async_connect(endpoints, nothrow);
      if (connect_ec) {
        co_return failure(connect_ec, "connect: ");
      }
      tcp_stream.socket().set_option(tcp::no_delay(true));
      if constexpr (kTls) {
        if (!expect_peer_named(stream->native_handle(), origin_.host)) {
          ClientResponse refused;
          refused.error = ClientError::tls;
          refused.error_message = "tls: cannot expect the name " + origin_.host;
          co_return refused;
        }
        auto [handshake_ec] =
            co_await stream->async_handshake(asio::ssl::stream_base::client, nothrow);
        if (handshake_ec) {
          co_return tls_failure(handshake_ec, *stream);
        }
      }
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
    if (idle != nullptr && answer.keep_alive() && idle->of<Stream>().size() < kMaxIdlePerThread) {
      tcp_stream.expires_never();
      idle->of<Stream>().push_back(std::move(*stream));
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
