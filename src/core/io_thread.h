// Which I/O thread is running this code: set once by each I/O thread as it starts, so
// per-thread state (cache shards, Redis connections) is found by index without locks.
#pragma once

#include <optional>

namespace sre::core {

// At most this many I/O threads have per-thread state (WORKER_THREADS is capped at 256).
inline constexpr unsigned kMaxIoThreads = 256;

void set_io_thread_index(unsigned index);
// nullopt on threads that are not I/O threads (main thread, SQLite threads, unit tests).
std::optional<unsigned> io_thread_index();

}  // namespace sre::core
