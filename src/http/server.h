// The HTTP/1.1 server: thread per core, one io_context per thread, each thread with its own
// SO_REUSEPORT acceptor so the kernel spreads connections and no two threads share a queue.
// A connection lives on the thread that accepted it, as one coroutine, for its whole life;
// the coroutine runs on a log::LogContextExecutor so log lines carry the request's ids.
//
// The server knows nothing about routes or JSON bodies: it reads requests within limits and
// timeouts, hands each one to `handler`, and writes back what it returns. Requests it cannot
// read (too large, malformed, too slow) are answered here with a JSON error.
//
// Shutdown is in steps the caller drives (see serve.cpp): begin_draining() makes every
// response carry `Connection: close`; stop_accepting() closes the listeners and idle
// connections; then wait for open_connections() to reach zero; then stop().
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/client_connections.h"
#include "http/connection.h"
#include "http/types.h"

namespace prometheus {
class Registry;
}

namespace sre::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 8000;
  unsigned threads = 0;  // I/O threads; 0: one per CPU core (io_thread_count in server_settings.h)
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  std::size_t max_header_bytes = std::size_t{8} * 1024;
  std::chrono::seconds request_timeout{10};
  std::chrono::seconds idle_timeout{60};
  unsigned max_connections_per_client = 512;  // 0: no cap (see client_connections.h)
};

// Called on each I/O thread as it starts, with its index (0-based) and its event loop's
// executor, e.g. to open the thread's own Redis connection. The thread's index is already set
// (core::io_thread_index), so core::PerThread state can be used from here on.
using ThreadStartHook = std::function<void(unsigned, asio::any_io_executor)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler, RejectionObserver on_rejected,
         ThreadStartHook on_thread_start);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Counts connections refused for the per-client cap in `registry`
  // (http_connections_refused_total). Call before start().
  void track_refusals(prometheus::Registry& registry);

  // Raises the open-file limit, binds every acceptor (throws std::system_error, e.g. address
  // in use) and starts threads.
  void start();
  void begin_draining();
  void stop_accepting();
  std::size_t open_connections() const { return open_connections_.load(); }
  // Stops the event loops and joins the threads. In-flight work is abandoned.
  void stop();

  std::uint16_t port() const { return options_.port; }
  // The I/O threads' event loops, in thread order; after start(). Work posted to one runs on
  // that thread, after its start hook.
  std::vector<asio::any_io_executor> io_executors() const;

 private:
  struct Worker;

  asio::awaitable<void> accept_loop(Worker& worker);
  asio::awaitable<void> sweep_timeouts(Worker& worker);
  void open_connection(Worker& worker, Connection::Socket socket);
  void close_connection(Worker& worker, Connection& connection);

  ServerOptions options_;
  Handler handler_;
  RejectionObserver on_rejected_;
  ThreadStartHook on_thread_start_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> closing_idle_{false};  // after stop_accepting(): idle connections close
  std::atomic<std::size_t> open_connections_{0};
  ClientConnections client_connections_;
};

}  // namespace sre::http
