#include "http/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/intrusive/list.hpp>
#include <deque>

#include "core/io_thread.h"
#include "core/log.h"

namespace sre::http {

using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// Back-off when accept fails for lack of file descriptors, instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
// How often each thread checks its connections' deadlines (the resolution of every timeout)
// and parks the ones waiting for a request (see connection.h).
constexpr std::chrono::milliseconds kSweepInterval{100};

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
using NotSentLowat = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_NOTSENT_LOWAT>;

// Back-pressure on a client that sends requests without reading the answers: a connection
// reads its next request only once its last response is written, and with this bound a
// write completes only once what the kernel still has to send is under it. Without it the
// kernel takes up to tcp_wmem's maximum (4 MiB) of answers per connection before a write
// waits, so such a client keeps a core busy and the kernel's memory growing. 64 KiB is more
// than nearly any response here, which still goes out in one write.
constexpr int kUnsentBytesBound = 64 * 1024;

// Every connection is a file descriptor, and the soft limit a process starts with (often
// 1024, sometimes 256) is far below what the hard limit allows: raise it, so that idle or
// hostile connections run into the per-connection limits here rather than into EMFILE.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) {
    return;
  }
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    log::warn("could not raise the open-file limit", {{"soft", before}, {"hard", limit.rlim_max}});
    return;
  }
  log::info("raised the open-file limit", {{"from", before}, {"to", limit.rlim_max}});
}

}  // namespace

struct Server::Worker {
  using ConnectionList = boost::intrusive::list<
      Connection, boost::intrusive::member_hook<Connection, boost::intrusive::list_member_hook<>,
                                                &Connection::hook>>;

  Worker(unsigned i, Server& server)
      : index(i),
        home{ioc.get_executor(),
             server.options_,
             server.handler_,
             server.on_rejected_,
             server.draining_,
             server.closing_idle_,
             [this, &server](Connection& connection) {
               server.close_connection(*this, connection);
             }} {}
  ~Worker() {
    connections.clear_and_dispose([](Connection* connection) { delete connection; });
  }

  unsigned index;
  // Connections' log contexts, reused: a context is referred to by plain pointer from the
  // executors of its connection's coroutines, which may outlive the connection, so it must
  // stay valid as long as the event loop (declared before `ioc`: destroyed after it).
  std::deque<log::RequestLogContext> log_contexts;
  std::vector<log::RequestLogContext*> free_log_contexts;
  // The open connections, owned; touched only by this worker's thread. The destructor deletes
  // them before the event loop goes (their sockets belong to it); a coroutine of theirs still
  // pending in the loop is destroyed without being resumed.
  ConnectionList connections;
  // Concurrency hint 1: exactly one thread runs this context.
  asio::io_context ioc{1};
  ConnectionHome home;
  asio::executor_work_guard<asio::io_context::executor_type> keep_running{ioc.get_executor()};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
};

Server::Server(ServerOptions options, Handler handler, RejectionObserver on_rejected,
               ThreadStartHook on_thread_start)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      on_rejected_(std::move(on_rejected)),
      on_thread_start_(std::move(on_thread_start)),
      client_connections_(options_.max_connections_per_client) {}

void Server::track_refusals(prometheus::Registry& registry) {
  client_connections_.count_refusals_in(
      &prometheus::BuildCounter()
           .Name("http_connections_refused_total")
           .Help("New connections answered 503 and closed because their client already held "
                 "MAX_CONNECTIONS_PER_CLIENT")
           .Register(registry)
           .Add({}));
}

Server::~Server() {
  stop();
}

std::vector<asio::any_io_executor> Server::io_executors() const {
  std::vector<asio::any_io_executor> executors;
  executors.reserve(workers_.size());
  for (const auto& worker : workers_) {
    executors.emplace_back(worker->ioc.get_executor());
  }
  return executors;
}

void Server::start() {
  raise_open_file_limit();
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
    auto worker = std::make_unique<Worker>(i, *this);
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
      // First of all: start-up hooks and everything after them find their per-thread state
      // (core::PerThread) by this index.
      core::set_io_thread_index(w->index);
      if (on_thread_start_) {
        on_thread_start_(w->index, w->ioc.get_executor());
      }
      asio::co_spawn(w->ioc, accept_loop(*w), asio::detached);
      asio::co_spawn(w->ioc, sweep_timeouts(*w), asio::detached);
      w->ioc.run();
    });
  }
}

void Server::begin_draining() {
  draining_ = true;
}

void Server::stop_accepting() {
  draining_ = true;
  closing_idle_ = true;
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    asio::post(w->ioc, [w] {
      boost::system::error_code ignored;
      w->acceptor.close(ignored);
      for (Connection& connection : w->connections) {
        connection.close_if_idle();
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
    // Accepted straight onto this thread's event loop, as a Connection::Socket.
    auto [ec, socket] = co_await worker.acceptor.async_accept(worker.ioc.get_executor(), nothrow);
    if (ec == asio::error::operation_aborted || !worker.acceptor.is_open()) {
      co_return;
    }
    if (ec) {
      log::warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(worker.ioc, kAcceptRetryDelay);
      co_await pause.async_wait(nothrow);
      continue;
    }
    open_connection(worker, std::move(socket));
  }
}

asio::awaitable<void> Server::sweep_timeouts(Worker& worker) {
  asio::steady_timer tick(worker.ioc);
  for (;;) {
    tick.expires_after(kSweepInterval);
    if (auto [ec] = co_await tick.async_wait(nothrow); ec) {
      co_return;
    }
    auto now = Connection::Clock::now();
    for (Connection& connection : worker.connections) {
      connection.cancel_if_expired(now);
      connection.park_if_quiet();
    }
  }
}

void Server::open_connection(Worker& worker, Connection::Socket socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  socket.set_option(NotSentLowat(kUnsentBytesBound), ignored);
  boost::system::error_code no_peer;  // the client already left: nothing to count
  const auto peer = socket.remote_endpoint(no_peer).address();
  const auto client = connection_client(peer);
  const bool admitted = no_peer || client_connections_.try_open(client);
  if (worker.free_log_contexts.empty()) {
    worker.free_log_contexts.push_back(&worker.log_contexts.emplace_back());
  }
  log::RequestLogContext& log_context = *worker.free_log_contexts.back();
  worker.free_log_contexts.pop_back();
  // An address that counts nothing when the client was not counted (see close_connection).
  auto* connection =
      new Connection(std::move(socket), no_peer ? "unknown" : peer.to_string(),
                     admitted && !no_peer ? client : asio::ip::address{}, worker.home, log_context);
  worker.connections.push_front(*connection);
  ++open_connections_;
  if (admitted) {
    connection->start();
  } else {
    connection->refuse_over_cap();
  }
}

void Server::close_connection(Worker& worker, Connection& connection) {
  if (!connection.client().is_unspecified()) {
    client_connections_.close(connection.client());
  }
  worker.connections.erase(worker.connections.iterator_to(connection));
  worker.free_log_contexts.push_back(&connection.log_context());
  delete &connection;
  --open_connections_;
}

}  // namespace sre::http
