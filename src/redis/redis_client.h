// The service's Redis client: one pipelined RedisConnection per I/O thread (created as each
// thread starts), so a request only ever talks to its own thread's connection: no locks, no
// cross-thread hand-off. Counts every command by name and outcome and times it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "core/per_thread.h"
#include "redis/redis_connection.h"
#include "redis/redis_metrics.h"

namespace sre::redis {

class RedisClient {
 public:
  RedisClient(RedisOptions options, obs::Metrics& metrics);

  // Called on each I/O thread before its event loop runs.
  void start_on_this_thread(boost::asio::any_io_executor executor);

  // Sends `command` (encoded with append_command) on this thread's connection. Never throws
  // for Redis trouble: the outcome says what happened. `command` must outlive the call.
  boost::asio::awaitable<RedisResult> execute(RedisCommandName name, const std::string& command);
  // Whether this thread's connection is up right now.
  bool available() const;
  const RedisEndpoint& endpoint() const { return options_.endpoint; }

 private:
  RedisConnection* connection() const;

  RedisOptions options_;
  RedisMetrics metrics_;
  // Set once per thread before it serves. The connections themselves are owned by their
  // thread's event loop (see start_on_this_thread).
  core::PerThread<RedisConnection*> connections_{core::kMaxIoThreads, nullptr};
};

}  // namespace sre::redis
