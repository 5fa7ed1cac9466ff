#include "redis/redis_client.h"

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

namespace sre::redis {

RedisClient::RedisClient(RedisOptions options, obs::Metrics& metrics)
    : options_(std::move(options)), metrics_(metrics) {}

void RedisClient::start_on_this_thread(boost::asio::any_io_executor executor) {
  RedisConnection** slot = connections_.local();
  if (slot == nullptr) {
    return;
  }
  auto& event_loop = boost::asio::query(executor, boost::asio::execution::context);
  auto connection = std::make_shared<RedisConnection>(std::move(executor), options_, metrics_,
                                                      *core::io_thread_index());
  connection->start();
  *slot = connection.get();
  // Its sockets and timers belong to this thread's event loop: it must go when that does.
  core::keep_until_shutdown(event_loop, std::move(connection));
}

RedisConnection* RedisClient::connection() const {
  RedisConnection* const* slot = connections_.local();
  return slot != nullptr ? *slot : nullptr;
}

bool RedisClient::available() const {
  auto* c = connection();
  return c != nullptr && c->connected();
}

boost::asio::awaitable<RedisResult> RedisClient::execute(RedisCommandName name,
                                                         const std::string& command) {
  auto* c = connection();
  if (c == nullptr || !c->connected()) {
    metrics_.record(name, RedisOutcome::unavailable, 0);
    co_return RedisResult{RedisOutcome::unavailable, {}};
  }
  const auto started = std::chrono::steady_clock::now();
  RedisResult result = co_await c->execute(command);
  metrics_.record(
      name, result.outcome,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  co_return result;
}

}  // namespace sre::redis
