// One PostgreSQL connection driven by the event loop: libpq in non-blocking mode, its socket
// watched by Asio, pipeline mode on. Owned by one I/O thread and only touched from it.
//
// Pipelining: a request does not wait for the connection to be free. It appends its
// statements and a Sync to the connection's outgoing stream and waits for its own results;
// PostgreSQL answers in order, so results are matched to requests by position (a FIFO of
// pending batches). Many requests share one connection's round trips.
//
// Transactions: the statements of one batch (everything before its Sync) run in one implicit
// transaction: they all commit at the Sync, or an error rolls them all back and skips the rest.
// A batch of one INSERT is therefore committed when its result arrives.
//
// Shared transactions: a batch the caller marks as sharable (Sharing) does not send a Sync of
// its own. It joins the connection's open group, which one Sync closes once the event loop has
// run everything already queued: the requests of one turn of the loop. A group with creates
// waits longer while an earlier group is in flight, until that one is answered (group commit).
// A group costs PostgreSQL one transaction, one read of its socket, one flush of answers and,
// for creates, one WAL flush at commit; and us one write (libpq 15 flushes at every Sync).
// Sharing changes what an error does, and each case is handled:
//   - an error aborts the rest of the transaction: batches after the failing one come back
//     PGRES_PIPELINE_ABORTED, with no rows. They are sent again, alone.
//   - an error rolls back what came before it: a create is answered only at the group's Sync
//     (its commit), and a create whose transaction failed is sent again, alone. A read's rows
//     are what it saw whatever happens after it.
//   - any batch that is not sharable first closes the open group: it never runs in another
//     request's transaction.
//
//   auto connection = std::make_shared<PgConnection>(executor, settings);
//   co_await connection->open();            // connect, pipeline mode, prepare statements
//   co_spawn(..., connection->receive());   // read results until the connection breaks
//   auto results = co_await connection->execute(commands, timeout);
#pragma once

#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pg_error.h"
#include "store/postgres/pg_metrics.h"
#include "store/postgres/pg_result.h"
#include "store/postgres/pg_settings.h"
#include "store/postgres/pg_statements.h"

namespace sre::store {

class PgConnection : public std::enable_shared_from_this<PgConnection> {
 public:
  // One statement of a batch: a prepared statement and its parameters in text form
  // (nullopt sends SQL NULL).
  struct Command {
    PgStatementId statement;
    std::vector<std::optional<std::string>> parameters;
  };
  // Whether a batch may run in one transaction with other requests' batches. The caller knows:
  //   read    SELECTs that write and lock nothing;
  //   create  INSERTs of new rows that no other request can be inserting too (no
  //           client-chosen unique key): they wait for no other transaction, so shared
  //           transactions cannot deadlock;
  //   alone   anything else, e.g. an UPDATE (row locks taken in two shared transactions in
  //           opposite orders would deadlock).
  enum class Sharing { alone, read, create };
  // A batch of one command, its parameters moved in. (A braced list of commands would copy
  // them: the elements of an initializer_list are const.)
  static std::vector<Command> single(PgStatementId statement,
                                     std::vector<std::optional<std::string>> parameters);

  // `metrics` (may be null) counts the requests per Sync and the batches sent again.
  PgConnection(boost::asio::any_io_executor executor, const PgSettings& settings,
               std::shared_ptr<PgMetrics> metrics = nullptr);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Connects without blocking the loop, within settings.connect_timeout, enters pipeline mode
  // and prepares every statement of pg_statements(). Throws PgError.
  boost::asio::awaitable<void> open();
  // Reads results and hands them to their batches; returns when the connection breaks or is
  // closed (every pending batch has then failed). Run once, after open().
  boost::asio::awaitable<void> receive();
  // Sends `commands` and one Sync (or joins the open group, see Sharing), then waits for their
  // results (one per command). Throws PgError. With no answer within `timeout` the connection
  // is closed: results come in order, so everything queued behind a stuck batch is stuck too.
  boost::asio::awaitable<std::vector<PgResult>> execute(const std::vector<Command>& commands,
                                                        std::chrono::milliseconds timeout,
                                                        Sharing sharing = Sharing::alone);

  // Called by receive() for each NOTIFY on a channel this connection LISTENs to, with the
  // server process id of the session that sent it. Set before receive() runs.
  using NotificationHandler = std::function<void(int sender_pid)>;
  void on_notification(NotificationHandler handler) { on_notification_ = std::move(handler); }
  // This session's server process id (what a NOTIFY it sends carries as its sender).
  int backend_pid() const { return conn_ != nullptr ? PQbackendPID(conn_) : 0; }

  bool is_open() const { return state_ == State::open; }
  // Fails every pending batch and closes the socket. Idempotent.
  void close(const std::string& reason);
  const std::string& close_reason() const { return close_reason_; }

 private:
  enum class State { idle, connecting, preparing, open, closed };
  struct Batch;

  void watch_socket();  // (re)registers libpq's current socket; throws PgError if none
  // Sends `commands`, then a Sync unless they join the open group; queues their batch.
  std::shared_ptr<Batch> send(const std::vector<Command>& commands, Sharing sharing);
  void close_group();  // sends the Sync that ends the open group, if any
  // Sends a Sync ending `batches` batches and starts flushing; closes the connection on failure.
  void sync(std::size_t batches);
  void settle_group(Batch& group);  // its Sync came: answers its members
  void start_flush();
  boost::asio::awaitable<void> flush_when_writable();
  void drain_results();
  void deliver_notifications();
  void complete(Batch& batch);
  std::string last_error() const;

  boost::asio::any_io_executor executor_;
  const PgSettings settings_;
  PGconn* conn_ = nullptr;
  // Wraps libpq's socket for readiness waits only; libpq does all the reading and writing.
  // Never closes it: libpq owns the descriptor (see watch_socket and close).
  boost::asio::posix::stream_descriptor socket_;
  State state_ = State::idle;
  bool flushing_ = false;
  // The group batches are joining: its members sent, its Sync not yet (null: none open).
  std::shared_ptr<Batch> open_group_;
  std::size_t groups_in_flight_ = 0;  // groups whose Sync is sent and not yet answered
  std::shared_ptr<PgMetrics> metrics_;
  std::deque<std::shared_ptr<Batch>> pending_;
  std::string close_reason_;
  NotificationHandler on_notification_;
};

}  // namespace sre::store
