#include "cache/redis_client.h"

namespace sre::cache {
namespace {

// Each I/O thread owns its connections: they are released when the thread ends, while its
// io_context still exists (a socket must not outlive its io_context). Coroutines of the
// connection that are still suspended hold references of their own; they go when the
// io_context is destroyed.
thread_local std::vector<std::shared_ptr<RedisConnection>> owned_by_this_thread;

}  // namespace

RedisClient::RedisClient(RedisOptions options, obs::Metrics& metrics)
    : options_(std::move(options)), metrics_(metrics), connections_(core::kMaxIoThreads) {}

void RedisClient::start_on_this_thread(boost::asio::any_io_executor executor) {
  auto index = core::io_thread_index();
  if (!index || *index >= connections_.size()) {
    return;
  }
  auto connection =
      std::make_shared<RedisConnection>(std::move(executor), options_, metrics_, *index);
  connection->start();
  connections_[*index] = connection.get();
  owned_by_this_thread.push_back(std::move(connection));
}

RedisConnection* RedisClient::connection() const {
  auto index = core::io_thread_index();
  if (!index || *index >= connections_.size()) {
    return nullptr;
  }
  return connections_[*index];
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

}  // namespace sre::cache
