// Rendered answers of GET /api/v1/students/{student_id}, kept for CACHE_TTL_SECONDS:
// cache-aside (cache/cache_aside.h: single flight, invalidation epochs) over Redis when
// REDIS_URL is set, else over the per-thread in-process cache.
//
// Why bodies and not Student objects: a hit then needs no JSON work at all; a Student would
// be rendered again on every hit (and, from Redis, parsed first), which measured as several
// microseconds on a read path that costs about twenty. The price is that this cache belongs
// here, where responses are known, and that it drops an entry when the student service says
// a student changed (StudentChangeListener), before the writer gets its answer.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "cache/cache_aside.h"
#include "cache/cache_options.h"
#include "cache/local_cache.h"
#include "cache/redis_cache.h"
#include "obs/metrics.h"
#include "redis/redis_client.h"
#include "students/student_change_listener.h"

namespace sre::api {

class StudentResponseCache : public students::StudentChangeListener {
 public:
  // The body of one student's answer; nullopt when there is no such student. May throw.
  using Render = cache::CacheAside::Loader;
  using Result = cache::CacheAside::Result;

  // Over `redis` (shared with others) when it is not null, else over an in-process cache of
  // CACHE_MAX_ENTRIES per I/O thread.
  StudentResponseCache(const cache::CacheOptions& options, redis::RedisClient* redis,
                       obs::Metrics& metrics);
  // Over a backend the caller owns.
  StudentResponseCache(cache::Cache& backend, std::chrono::seconds ttl, obs::Metrics& metrics);

  // Called on each I/O thread before its event loop runs (the in-process cache's shard).
  void start_on_this_thread(const boost::asio::any_io_executor& executor);

  // `student_id` and `render` must outlive the call.
  boost::asio::awaitable<Result> get(const std::string& student_id, const Render& render);
  boost::asio::awaitable<bool> student_changed(const std::string& student_id) override;

 private:
  std::unique_ptr<cache::LocalCache> local_;
  std::unique_ptr<cache::RedisCache> redis_;
  std::unique_ptr<cache::CacheAside> aside_;  // over redis_, local_ or the caller's backend
};

}  // namespace sre::api
