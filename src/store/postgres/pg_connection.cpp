#include "store/postgres/pg_connection.h"

#include <fmt/format.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

#include "core/log.h"

namespace sre::store {

namespace asio = boost::asio;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

PgError error_of(const PgResult& result) {
  const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
  std::string sqlstate = state ? state : "";
  std::string message = trimmed(PQresultErrorMessage(result.get()));
  // No SQLSTATE: libpq made the error itself, i.e. the connection failed under us.
  PgErrorKind kind = sqlstate.empty() ? PgErrorKind::connect : classify_sqlstate(sqlstate);
  const char* constraint = PQresultErrorField(result.get(), PG_DIAG_CONSTRAINT_NAME);
  return {kind, message, sqlstate, constraint ? constraint : ""};
}

}  // namespace

// What the connection keeps of a request's statements until they are answered. A group (the
// statements of several requests before one Sync) is a batch too, of no statements: it stands
// in the queue where its Sync's answer will come, and answers its members then.
struct PgConnection::Batch {
  Batch(const asio::any_io_executor& executor, std::size_t statements, Sharing sharing)
      : results(statements), sharing(sharing), wake(executor) {}
  std::vector<PgResult> results;  // one per statement, in order
  std::size_t current = 0;        // the statement whose results come next
  Sharing sharing;                // alone: the next Sync is its own
  bool done = false;
  std::optional<PgError> error;
  // Its statements took no effect though none of them failed: another batch's error aborted
  // or rolled back the transaction they shared. Sent again, alone.
  bool undone_by_neighbour = false;
  // A group's: its members, and whether one of them failed (the transaction rolled back).
  std::vector<std::shared_ptr<Batch>> members;
  bool has_creates = false;
  bool failed = false;
  // A member's group. Not owning (the group owns its members, and a pointer back would keep
  // both alive for ever): a member is in pending_ only while its group is open or queued behind
  // it, and only drain_results follows this pointer, to a member in pending_.
  Batch* group = nullptr;
  asio::steady_timer wake;  // the waiting request sleeps on it; cancel() wakes it
};

std::vector<PgConnection::Command> PgConnection::single(
    PgStatementId statement, std::vector<std::optional<std::string>> parameters) {
  std::vector<Command> commands;
  commands.reserve(1);
  commands.push_back({statement, std::move(parameters)});
  return commands;
}

PgConnection::PgConnection(asio::any_io_executor executor, const PgSettings& settings,
                           std::shared_ptr<PgMetrics> metrics)
    : executor_(std::move(executor)),
      settings_(settings),
      socket_(executor_),
      metrics_(std::move(metrics)) {}

PgConnection::~PgConnection() {
  close("connection destroyed");
}

std::string PgConnection::last_error() const {
  return conn_ ? trimmed(PQerrorMessage(conn_)) : std::string("no connection");
}

void PgConnection::watch_socket() {
  // libpq may switch sockets while connecting (one per address it tries), so re-register
  // every time. release() hands the descriptor back without closing it: it is libpq's.
  if (socket_.is_open()) {
    socket_.release();
  }
  int fd = PQsocket(conn_);
  if (fd < 0) {
    throw PgError(PgErrorKind::connect, "libpq has no socket: " + last_error());
  }
  socket_.assign(fd);
}

asio::awaitable<void> PgConnection::open() {
  auto self = shared_from_this();
  state_ = State::connecting;
  PgConnectArguments arguments(settings_);
  conn_ = PQconnectStartParams(arguments.keys(), arguments.values(), 1);
  if (conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD) {
    throw PgError(PgErrorKind::connect, last_error());
  }

  // The deadline covers connecting and preparing. When it fires it cancels the socket wait;
  // the shared flag tells the coroutine why it woke up.
  auto timed_out = std::make_shared<bool>(false);
  asio::steady_timer deadline(executor_, settings_.connect_timeout);
  deadline.async_wait([this, self, timed_out](const boost::system::error_code& ec) {
    if (!ec) {
      *timed_out = true;
      boost::system::error_code ignored;
      socket_.cancel(ignored);
    }
  });
  auto check_deadline = [&] {
    if (*timed_out) {
      throw PgError(PgErrorKind::timeout, fmt::format("connect timed out after {} ms",
                                                      settings_.connect_timeout.count()));
    }
  };

  for (auto poll = PGRES_POLLING_WRITING; poll != PGRES_POLLING_OK; poll = PQconnectPoll(conn_)) {
    if (poll == PGRES_POLLING_FAILED) {
      throw PgError(PgErrorKind::connect, last_error());
    }
    watch_socket();
    auto wait = poll == PGRES_POLLING_READING ? asio::posix::stream_descriptor::wait_read
                                              : asio::posix::stream_descriptor::wait_write;
    auto [ec] = co_await socket_.async_wait(wait, nothrow);
    check_deadline();
    if (ec) {
      throw PgError(PgErrorKind::connect, ec.message());
    }
  }
  watch_socket();
  if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1) {
    throw PgError(PgErrorKind::connect, last_error());
  }

  // Prepare every statement in one pipelined round trip, pumping results ourselves since
  // receive() is not running yet.
  state_ = State::preparing;
  auto batch = std::make_shared<Batch>(executor_, pg_statements().size(), Sharing::alone);
  for (const auto& statement : pg_statements()) {
    if (PQsendPrepare(conn_, statement.name, statement.sql, statement.parameters, nullptr) != 1) {
      throw PgError(PgErrorKind::connect, last_error());
    }
  }
  if (PQpipelineSync(conn_) != 1) {
    throw PgError(PgErrorKind::connect, last_error());
  }
  pending_.push_back(batch);
  start_flush();
  while (!batch->done) {
    auto [ec] = co_await socket_.async_wait(asio::posix::stream_descriptor::wait_read, nothrow);
    check_deadline();
    if (ec || PQconsumeInput(conn_) != 1) {
      throw PgError(PgErrorKind::connect, ec ? ec.message() : last_error());
    }
    drain_results();
  }
  deadline.cancel();
  if (batch->error) {
    throw *batch->error;
  }
  state_ = State::open;
}

asio::awaitable<void> PgConnection::receive() {
  auto self = shared_from_this();
  while (state_ == State::open) {
    // Also wakes up on EOF: a server that dies is noticed here, even with nothing pending.
    auto [ec] = co_await socket_.async_wait(asio::posix::stream_descriptor::wait_read, nothrow);
    if (state_ != State::open) {
      break;
    }
    if (ec || PQconsumeInput(conn_) != 1) {
      close(ec ? ec.message() : last_error());
      break;
    }
    drain_results();
    deliver_notifications();
    if (PQstatus(conn_) == CONNECTION_BAD) {
      close(last_error());
    }
  }
}

asio::awaitable<std::vector<PgResult>> PgConnection::execute(const std::vector<Command>& commands,
                                                             std::chrono::milliseconds timeout,
                                                             Sharing sharing) {
  auto self = shared_from_this();
  // A batch undone by a neighbour's error runs once more, with a Sync of its own.
  for (;; sharing = Sharing::alone) {
    if (state_ != State::open) {
      throw PgError(PgErrorKind::connect, "connection is not open");
    }
    auto batch = send(commands, sharing);
    batch->wake.expires_after(timeout);
    if (!batch->done) {
      co_await batch->wake.async_wait(nothrow);  // cancelled by complete() or close()
    }
    if (!batch->done) {
      batch->error =
          PgError(PgErrorKind::timeout,
                  fmt::format("no answer from PostgreSQL within {} ms", timeout.count()));
      close(batch->error->what());
    }
    if (batch->error) {
      throw *batch->error;
    }
    if (!batch->undone_by_neighbour) {
      co_return std::move(batch->results);
    }
    if (metrics_) {
      metrics_->count_resent_request();
    }
    // Logged in the request's context, so with its request id.
    log::info("database request sent again alone",
              {{"statement", pg_statement(commands.front().statement).name},
               {"reason", "another request's error undid the transaction they shared"}});
  }
}

std::shared_ptr<PgConnection::Batch> PgConnection::send(const std::vector<Command>& commands,
                                                        Sharing sharing) {
  if (sharing == Sharing::alone) {
    close_group();  // this batch's statements must not run in other requests' transaction
    if (state_ != State::open) {
      throw PgError(PgErrorKind::connect, "connection lost: " + close_reason_);
    }
  }
  auto batch = std::make_shared<Batch>(executor_, commands.size(), sharing);
  for (const auto& command : commands) {
    const PgStatement& statement = pg_statement(command.statement);
    std::array<const char*, kMaxPgParameters> values{};
    for (std::size_t i = 0; i < command.parameters.size() && i < kMaxPgParameters; ++i) {
      values[i] = command.parameters[i] ? command.parameters[i]->c_str() : nullptr;
    }
    // libpq copies the parameters into its output buffer: they need not outlive the call.
    // In pipeline mode it sends nothing yet (unless that buffer is large); the Sync flushes.
    if (PQsendQueryPrepared(conn_, statement.name, statement.parameters, values.data(), nullptr,
                            nullptr, 0) != 1) {
      std::string reason = last_error();
      close(reason);
      throw PgError(PgErrorKind::connect, reason);
    }
  }
  pending_.push_back(batch);
  if (sharing == Sharing::alone) {
    sync(1);
    return batch;
  }
  if (!open_group_) {
    open_group_ = std::make_shared<Batch>(executor_, 0, Sharing::alone);
    // The Sync waits for the handlers already queued on this thread: the requests of this
    // turn. A group with creates waits longer while an earlier group is in flight, for that
    // group's answer: the server would not start this transaction before that one's commit
    // anyway, and meanwhile more creates join (group commit: many creates to one WAL flush).
    // A group of reads alone goes at once: each read waits for nothing but its rows.
    asio::post(executor_, [self = shared_from_this()] {
      if (self->open_group_ && (self->groups_in_flight_ == 0 || !self->open_group_->has_creates)) {
        self->close_group();
      }
    });
  }
  batch->group = open_group_.get();
  open_group_->members.push_back(batch);
  open_group_->has_creates = open_group_->has_creates || sharing == Sharing::create;
  return batch;
}

void PgConnection::close_group() {
  auto group = std::exchange(open_group_, nullptr);
  if (!group || state_ != State::open) {
    return;  // no group, or the connection closed meanwhile and failed its batches
  }
  // The Sync's answer goes to the group, queued behind its members.
  pending_.push_back(group);
  ++groups_in_flight_;
  sync(group->members.size());
}

void PgConnection::sync(std::size_t batches) {
  if (metrics_) {
    metrics_->observe_sync(batches);
  }
  // libpq 15 flushes at every Sync (PostgreSQL 17's PQsendPipelineSync would not).
  if (PQpipelineSync(conn_) != 1) {
    close(last_error());
    return;
  }
  start_flush();
}

void PgConnection::settle_group(Batch& group) {
  for (auto& member : group.members) {
    // A create's row is gone with a transaction that failed; a read's rows stand.
    if (group.failed && !member->error && member->sharing == Sharing::create) {
      member->undone_by_neighbour = true;
    }
    complete(*member);
  }
  complete(group);
}

void PgConnection::start_flush() {
  if (flushing_ || conn_ == nullptr) {
    return;
  }
  int rc = PQflush(conn_);
  if (rc == -1) {
    close(last_error());
  } else if (rc == 1) {
    // The kernel's send buffer is full: finish writing when the socket is writable again.
    flushing_ = true;
    asio::co_spawn(executor_, flush_when_writable(), asio::detached);
  }
}

asio::awaitable<void> PgConnection::flush_when_writable() {
  auto self = shared_from_this();
  while (state_ != State::closed) {
    auto [ec] = co_await socket_.async_wait(asio::posix::stream_descriptor::wait_write, nothrow);
    if (ec || state_ == State::closed) {
      break;
    }
    int rc = PQflush(conn_);
    if (rc == -1) {
      close(last_error());
      break;
    }
    if (rc == 0) {
      break;
    }
  }
  flushing_ = false;
}

void PgConnection::drain_results() {
  // Each statement yields its result(s) then a null; each Sync yields PGRES_PIPELINE_SYNC.
  // Two nulls in a row mean libpq has nothing more for us until more input arrives.
  bool previous_was_null = false;
  while (!pending_.empty() && conn_ != nullptr && PQisBusy(conn_) == 0) {
    PGresult* raw = PQgetResult(conn_);
    Batch& batch = *pending_.front();
    bool slot_filled = batch.current < batch.results.size() && batch.results[batch.current];
    if (raw == nullptr) {
      if (previous_was_null) {
        break;
      }
      previous_was_null = true;
      if (slot_filled) {
        ++batch.current;  // this statement is finished
        if (batch.sharing != Sharing::alone && batch.current == batch.results.size()) {
          pending_.pop_front();  // a group's member: answered when its group's Sync comes
        }
      }
      continue;
    }
    previous_was_null = false;
    PgResult result(raw);
    ExecStatusType status = result.status();
    if (status == PGRES_PIPELINE_SYNC) {
      auto finished = pending_.front();
      pending_.pop_front();
      if (finished->members.empty()) {  // a batch with a Sync of its own
        complete(*finished);
        continue;
      }
      settle_group(*finished);
      if (--groups_in_flight_ == 0) {
        close_group();  // the requests that came while it was in flight, if any
      }
      continue;
    }
    if (status == PGRES_FATAL_ERROR && !batch.error) {
      // The first error of a batch is the one that matters; the statements after it come
      // back as PGRES_PIPELINE_ABORTED.
      batch.error = error_of(result);
      if (batch.group) {
        batch.group->failed = true;
      }
    } else if (status == PGRES_PIPELINE_ABORTED && !batch.error) {
      batch.undone_by_neighbour = true;
    }
    if (!slot_filled && batch.current < batch.results.size()) {
      batch.results[batch.current] = std::move(result);
    }
  }
}

void PgConnection::deliver_notifications() {
  while (conn_ != nullptr) {
    PGnotify* notification = PQnotifies(conn_);
    if (notification == nullptr) {
      break;
    }
    const int sender_pid = notification->be_pid;
    PQfreemem(notification);
    if (on_notification_) {
      on_notification_(sender_pid);
    }
  }
}

void PgConnection::complete(Batch& batch) {
  batch.done = true;
  batch.wake.cancel();
}

void PgConnection::close(const std::string& reason) {
  if (state_ == State::closed) {
    return;
  }
  state_ = State::closed;
  close_reason_ = reason;
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  if (socket_.is_open()) {
    socket_.release();
  }
  if (conn_ != nullptr) {
    PQfinish(conn_);  // closes the socket
    conn_ = nullptr;
  }
  auto pending = std::move(pending_);
  pending_.clear();
  if (open_group_) {
    pending.push_back(std::exchange(open_group_, nullptr));
  }
  auto fail = [&](Batch& batch) {
    if (!batch.error) {
      batch.error = PgError(PgErrorKind::connect, "connection lost: " + reason);
    }
    complete(batch);
  };
  for (auto& batch : pending) {
    for (auto& member : batch->members) {  // members already answered wait in their group
      fail(*member);
    }
    fail(*batch);
  }
}

}  // namespace sre::store
