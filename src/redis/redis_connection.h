// One connection to Redis, owned by one I/O thread and used only from it (no locks).
//
// Commands are pipelined: each caller appends its command to an output buffer and waits; one
// writer coroutine sends whatever has accumulated, one reader coroutine matches replies to
// waiting callers in order (RESP answers in the order it was asked). When the connection is
// down a command fails at once with `unavailable`: callers fall back (to the store, to the
// in-process limiter) instead of queueing behind a dead Redis.
//
// A background loop connects, sends AUTH/SELECT from the URL, reads until the connection
// breaks, then reconnects after an exponential backoff with jitter (so that every thread of
// every instance does not hammer a recovering Redis in lockstep). A command without a reply
// after the timeout breaks the connection: with in-order replies there is no other way to
// know which late reply belongs to whom.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "redis/redis_metrics.h"
#include "redis/redis_url.h"
#include "redis/resp.h"

namespace sre::redis {

struct RedisOptions {
  RedisEndpoint endpoint;
  std::chrono::milliseconds timeout{250};
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{5000};
};

struct RedisResult {
  RedisOutcome outcome = RedisOutcome::unavailable;
  RedisReply reply;  // meaningful for ok and error
};

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  RedisConnection(boost::asio::any_io_executor executor, const RedisOptions& options,
                  RedisMetrics& metrics, unsigned thread_index);

  // Spawns the connect/read loop and the timeout sweep on the executor.
  void start();
  bool connected() const { return state_ == State::connected; }

  // Sends one encoded command (see append_command) and waits for its reply. `command` must
  // stay alive until the call completes (a named object of the caller: coroutine rule).
  boost::asio::awaitable<RedisResult> execute(const std::string& command);

 private:
  enum class State { disconnected, connecting, connected };
  using Clock = std::chrono::steady_clock;
  struct Pending {
    Clock::time_point deadline;
    boost::asio::any_completion_handler<void(RedisResult)> handler;
  };

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<bool> connect_and_handshake();
  boost::asio::awaitable<void> read_replies();
  boost::asio::awaitable<void> write_pending();
  boost::asio::awaitable<void> sweep_timeouts();
  void complete(Pending& pending, RedisResult result);
  void fail_all(RedisOutcome outcome);
  std::chrono::milliseconds next_backoff();

  boost::asio::any_io_executor executor_;
  const RedisOptions& options_;
  RedisMetrics& metrics_;
  unsigned thread_index_;
  boost::asio::ip::tcp::socket socket_;
  State state_ = State::disconnected;
  Clock::time_point connect_deadline_ = Clock::time_point::max();
  bool timed_out_ = false;  // the sweep closed the socket
  bool writing_ = false;
  std::string outgoing_;   // commands not yet handed to the socket
  std::string in_flight_;  // the bytes being written right now
  std::deque<Pending> pending_;
  RespReader reader_;
  int failures_in_a_row_ = 0;
};

}  // namespace sre::redis
