// A keep-alive HTTP/1.1 client for calls to other services over http://host:port, or
// https://host:port when given a TLS context: any method, headers and body, one timeout per
// call. It knows nothing of what it calls; callers (the grades client, AWS JSON calls) build
// requests and read responses.
//
// Over TLS a new connection verifies the server's certificate chain (the context's trust
// store) and that the certificate names the origin's host (its DNS name, or its IP address),
// and sends the host as SNI; a connection that fails any of that is a ClientError::tls, never
// used. The handshake runs on the I/O thread's event loop like every other step.
//
// Connections are pooled per I/O thread (a core::PerThread of idle streams, each owned by its
// thread's event loop), so a call needs no lock. A pooled connection the server has closed in
// the meantime fails on first use; that failure is retried once on a fresh connection (it
// says nothing about the other service's health). On threads that are not I/O threads (unit
// tests) every call opens its own connection. One call is one attempt: retries, deadlines
// and breakers belong to the caller.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/per_thread.h"
#include "http/tls_client_context.h"

namespace sre::http {

// Where the other service listens.
struct Origin {
  std::string host;
  std::string port;
};

struct ClientRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // path and query, e.g. "/grades/42"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                         // sent with a Content-Length when not empty
  std::chrono::milliseconds timeout{1000};  // the whole call: connect, write, read
};

enum class ClientError : std::uint8_t {
  none,
  timeout,     // no complete answer within the call's timeout
  connection,  // resolve, connect, write or read failed; or the answer was not HTTP
  tls,         // the TLS handshake failed: an untrusted or wrong certificate, no common protocol
};

struct ClientResponse {
  ClientError error = ClientError::none;
  std::string error_message;  // when error != none: what went wrong, for the log
  int status = 0;
  boost::beast::http::fields headers;
  std::string body;
};

class Client {
 public:
  // `tls`: speak TLS to the origin with this context (null: plain HTTP).
  explicit Client(Origin origin, std::size_t max_response_body = std::size_t{1024} * 1024,
                  TlsContext tls = nullptr);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `request` must stay alive until the call completes (the caller's named local).
  boost::asio::awaitable<ClientResponse> send(const ClientRequest& request) const;

  const Origin& origin() const { return origin_; }

 private:
  struct IdleConnections;

  // One call over a plain or a TLS stream (send() picks by tls_).
  template <typename Stream>
  boost::asio::awaitable<ClientResponse> send_over(const ClientRequest& request) const;
  IdleConnections* idle_connections(const boost::asio::any_io_executor& executor) const;

  Origin origin_;
  std::size_t max_response_body_;
  TlsContext tls_;
  // Each I/O thread's idle connections, created on its first call and owned by its event
  // loop (their sockets must not outlive it).
  core::PerThread<IdleConnections*> idle_{core::kMaxIoThreads, nullptr};
};

}  // namespace sre::http
