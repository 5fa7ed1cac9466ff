// Cache-aside reads, for any value that can be loaded by key from a source of truth:
//
//   read:   cache hit -> answer.  miss -> load from the source -> fill the cache with a TTL.
//   write:  write the source, then invalidate (erase) the key.
//
// Three details make it correct rather than merely fast:
// * A cache failure never fails a read: it is counted and the read goes to the source.
// * Single flight: concurrent misses for one key on one I/O thread load the source once; the
//   other requests wait for that load. (Per thread, not per process: sharing a flight across
//   threads would need a lock or a cross-thread hand-off on every miss. With one I/O thread
//   per core, a key is loaded at most once per core at a time.)
// * Invalidation epochs: a read that loaded the old value while a write was committing must
//   not put that old value back after the write's invalidation. Each key hashes to one of
//   4096 atomic counters; invalidate() bumps it, and a fill only happens if the counter did
//   not move during the load. (A collision only costs a skipped fill.)
//
// Metrics: cache_requests_total{cache,result="hit|miss|error"}, cache_loads_total{cache},
// cache_invalidation_failures_total{cache}.
#pragma once

#include <prometheus/counter.h>

#include <array>
#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "cache/cache.h"
#include "core/per_thread.h"
#include "obs/metrics.h"

namespace sre::cache {

class CacheAside {
 public:
  // Loads the value of a key from the source of truth; nullopt when it does not exist
  // (absence is not cached). May throw (e.g. store unavailable): waiters get the same error.
  using Loader = std::function<boost::asio::awaitable<std::optional<std::string>>()>;

  struct Result {
    std::optional<std::string> value;
    bool hit = false;  // served from the cache
  };

  CacheAside(Cache& cache, std::string name, std::chrono::seconds ttl, obs::Metrics& metrics);

  // `key` and `load` must outlive the call (named objects of the caller).
  boost::asio::awaitable<Result> get(const std::string& key, const Loader& load);
  // After a successful write of the source. Never throws; a failure is counted and logged.
  // Returns whether the cache confirmed the erase. (Not awaitable<void>: g++ 12 passed this
  // member coroutine's arguments shifted by one, `this` <- &key, when it returned void.)
  boost::asio::awaitable<bool> invalidate(const std::string& key);

  Cache& cache() { return cache_; }

 private:
  struct Flight;
  using FlightMap = std::unordered_map<std::string, std::shared_ptr<Flight>>;
  boost::asio::awaitable<std::optional<std::string>> load_once(const std::string& key,
                                                               const Loader& load);
  std::atomic<std::uint64_t>& epoch_of(const std::string& key);
  FlightMap* flights();

  Cache& cache_;
  std::string name_;
  std::chrono::seconds ttl_;
  prometheus::Counter* hits_;
  prometheus::Counter* misses_;
  prometheus::Counter* errors_;
  prometheus::Counter* loads_;
  prometheus::Counter* invalidation_failures_;
  std::array<std::atomic<std::uint64_t>, 4096> epochs_{};
  core::PerThread<FlightMap> flights_{core::kMaxIoThreads};
};

}  // namespace sre::cache
