// Which I/O thread is running this code: set once by each HTTP server thread as it starts,
// before any start-up hook, so per-thread state (core::PerThread) is found without locks.
#pragma once

#include <boost/asio/execution_context.hpp>
#include <memory>
#include <optional>

namespace sre::core {

// At most this many I/O threads have per-thread state (WORKER_THREADS is capped at 256).
inline constexpr unsigned kMaxIoThreads = 256;

void set_io_thread_index(unsigned index);
// nullopt on threads that are not I/O threads (main thread, SQLite threads, unit tests).
std::optional<unsigned> io_thread_index();

// Keeps `object` alive until `context` (an I/O thread's event loop) shuts down, then releases
// it there. For per-thread objects that hold sockets or timers of that event loop (a Redis
// connection, a PostgreSQL pool): a socket must not outlive its io_context, and their owner
// (a PerThread of plain pointers) may well outlive the server's event loops.
void keep_until_shutdown(boost::asio::execution_context& context, std::shared_ptr<void> object);

}  // namespace sre::core
