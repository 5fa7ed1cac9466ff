// A cache of string values by key, with a time to live: the small interface every cached thing
// in the service goes through (the students' response cache, the last known grades). Two
// implementations: Redis (shared by every instance) and in-process (per instance).
//
// A cache is an optimisation, never a dependency: no method throws for a cache failure. A
// failed get reports `error` (callers read the source of truth instead), a failed set or
// erase returns false (callers count and log it).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

namespace sre::cache {

struct CacheLookup {
  enum class Result { hit, miss, error };
  Result result = Result::miss;
  std::string value;  // when hit
};

class Cache {
 public:
  virtual ~Cache() = default;

  // Parameters are references to the caller's named objects (coroutine rule, README).
  virtual boost::asio::awaitable<CacheLookup> get(const std::string& key) = 0;
  virtual boost::asio::awaitable<bool> set(const std::string& key, const std::string& value,
                                           std::chrono::seconds ttl) = 0;
  virtual boost::asio::awaitable<bool> erase(const std::string& key) = 0;

  // "redis" or "in-process", for logs and /health.
  virtual std::string_view backend() const = 0;
};

}  // namespace sre::cache
