// Tells other processes that outbox rows were committed, and hears them tell us, so that a
// relay or a worker in another process starts on new rows at once instead of at its next poll.
// A hint only: a lost signal costs one poll interval, never a row (the poll still runs).
//
// On PostgreSQL it is LISTEN/NOTIFY (PgOutboxSignal); an embedded SQLite file has no such
// channel, so there Database::outbox_signal() gives none and the poll is all there is.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>

namespace sre::store {

class OutboxSignal {
 public:
  // Runs on the executor given to start(), once per signal from another process.
  using Listener = std::function<void()>;

  virtual ~OutboxSignal() = default;

  // Connects and listens on `executor` (an I/O thread's), reconnecting whenever the connection
  // breaks. Once.
  virtual void start(const boost::asio::any_io_executor& executor, Listener heard) = 0;
  // From any thread, cheap: rows were committed here. Many calls close together are sent as
  // one signal.
  virtual void announce() = 0;
  // From any thread: stop listening and close the connection. The object may be destroyed
  // once the executor's event loop has ended.
  virtual void stop() = 0;
};

}  // namespace sre::store
