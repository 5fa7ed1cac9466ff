#include "http/server_settings.h"

#include <algorithm>
#include <limits>
#include <thread>

namespace sre::http {

std::vector<core::Setting<ServerOptions>> server_settings(std::string port_help) {
  using core::setting;
  using std::chrono::seconds;
  constexpr long long max_int = std::numeric_limits<int>::max();
  return {
      setting("HOST", &ServerOptions::host, core::ip_address(), "IP address to listen on"),
      setting("PORT", &ServerOptions::port, core::integer_in<std::uint16_t>(1, 65535),
              std::move(port_help)),
      setting("WORKER_THREADS", &ServerOptions::threads, core::integer_in<unsigned>(0, 256),
              "I/O threads; 0 means one per CPU core"),
      setting("MAX_BODY_BYTES", &ServerOptions::max_body_bytes,
              core::integer_in<std::size_t>(1, 64LL * 1024 * 1024),
              "Largest accepted request body; larger gets 413"),
      setting("MAX_HEADER_BYTES", &ServerOptions::max_header_bytes,
              core::integer_in<std::size_t>(1024, 1024LL * 1024),
              "Largest accepted request head; larger gets 431"),
      setting("REQUEST_TIMEOUT_SECONDS", &ServerOptions::request_timeout,
              core::duration_in<seconds>(1, max_int),
              "A started request must arrive completely within this (and a new connection's "
              "first byte)"),
      setting("IDLE_TIMEOUT_SECONDS", &ServerOptions::idle_timeout,
              core::duration_in<seconds>(1, max_int),
              "Idle keep-alive connections are closed after this"),
      setting("MAX_CONNECTIONS_PER_CLIENT", &ServerOptions::max_connections_per_client,
              core::integer_in<unsigned>(0, 1000000),
              "Open connections one client (IP address, IPv6 /64) may hold; more get 503 "
              "(0: no cap; raise it behind a proxy)"),
  };
}

unsigned io_thread_count(const ServerOptions& options) {
  if (options.threads > 0) {
    return options.threads;
  }
  return std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace sre::http
