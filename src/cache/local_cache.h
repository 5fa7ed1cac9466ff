// The in-process cache (no REDIS_URL): one shard per I/O thread, each a small LRU map with
// expiry that only its own thread touches, so reads and writes need no locks.
//
// The price of thread-per-core: a key is cached separately by each thread that reads it (a
// thread misses once per key before it hits), and memory is CACHE_MAX_ENTRIES per thread. An
// erase must reach every shard: the calling thread erases its own at once and posts the erase
// to every other thread's event loop, where it runs within microseconds. (Cache-aside's
// invalidation epochs, see cache_aside.h, keep a read that raced with the write from putting
// the old value back.)
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <list>
#include <memory>
#include <unordered_map>

#include "cache/cache.h"
#include "core/per_thread.h"

namespace sre::cache {

class LocalCache : public Cache {
 public:
  explicit LocalCache(std::size_t max_entries_per_thread);
  ~LocalCache() override;

  // Called on each I/O thread before its event loop runs. Threads that never call it (none
  // in `serve`) see a cache that always misses.
  void start_on_this_thread(boost::asio::any_io_executor executor);

  boost::asio::awaitable<CacheLookup> get(const std::string& key) override;
  boost::asio::awaitable<bool> set(const std::string& key, const std::string& value,
                                   std::chrono::seconds ttl) override;
  boost::asio::awaitable<bool> erase(const std::string& key) override;
  std::string_view backend() const override { return "in-process"; }

 private:
  struct Shard;
  Shard* this_threads_shard() const;

  std::size_t max_entries_;
  core::PerThread<std::unique_ptr<Shard>> shards_;  // set as each I/O thread starts
};

}  // namespace sre::cache
