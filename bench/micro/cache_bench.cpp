// The cache hit of GET /api/v1/students/{id}, run as the handler runs it, a coroutine on the
// I/O thread's event loop: api::StudentResponseCache::get (the key, cache-aside, its hit
// counter) and, on its own, the in-process cache's lookup it ends in, cache::LocalCache::get
// (the thread's LRU shard). The baseline of both is the plain alternative: a
// std::unordered_map<std::string, std::string> of the same bodies, the body copied out as the
// cache hands out its own copy.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "allocation_count.h"
#include "api/student_response_cache.h"
#include "cache/local_cache.h"
#include "core/io_thread.h"
#include "obs/metrics.h"

namespace {

namespace asio = boost::asio;
using sre::api::StudentResponseCache;

constexpr std::size_t kStudents = 1000;  // cached, of CACHE_MAX_ENTRIES' 10,000 per thread

std::string student_id(std::size_t i) {
  char id[16];
  std::snprintf(id, sizeof id, "STU-%08zX", 0x1A2B0000 + i);
  return id;
}

std::string body_of(const std::string& id) {
  return R"({"student_id":")" + id +
         R"(","first_name":"Zoë","last_name":"Ångström","grade":7,"email":null,)"
         R"("created_at":"2026-11-30T09:12:44.120Z","updated_at":"2026-11-30T09:12:44.120Z"})";
}

// Fills the cache with every student (each get misses and renders), then times hits of one.
asio::awaitable<void> hit_loop(benchmark::State& state, StudentResponseCache& cache,
                               const std::vector<std::string>& ids) {
  std::string rendering;  // the id being rendered, for the loader
  const StudentResponseCache::Render render =
      [&rendering]() -> asio::awaitable<std::optional<std::string>> {
    co_return body_of(rendering);
  };
  for (const auto& id : ids) {
    rendering = id;
    co_await cache.get(id, render);
  }
  const std::string& id = ids[kStudents / 2];
  StudentResponseCache::Result first = co_await cache.get(id, render);
  if (!first.hit || first.value != body_of(id)) {
    state.SkipWithError("the cached student was not a hit with its body");
    co_return;
  }
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    StudentResponseCache::Result result = co_await cache.get(id, render);
    benchmark::DoNotOptimize(result.value->data());
  }
  allocations.report(state);
}

void BM_student_response_cache(benchmark::State& state) {
  sre::core::set_io_thread_index(0);  // the cache's shard belongs to an I/O thread
  asio::io_context io;
  sre::obs::Metrics metrics("micro_benchmarks");
  StudentResponseCache cache(sre::cache::CacheOptions{}, nullptr, metrics);
  cache.start_on_this_thread(io.get_executor());
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < kStudents; ++i) {
    ids.push_back(student_id(i));
  }
  asio::co_spawn(io, hit_loop(state, cache, ids), [](const std::exception_ptr& e) {
    if (e) {
      std::rethrow_exception(e);
    }
  });
  io.run();
}

// Times hits of one key that `cache` holds among others.
asio::awaitable<void> local_hit_loop(benchmark::State& state, sre::cache::LocalCache& cache,
                                     const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    const std::string body = body_of(key);  // named: no temporaries into coroutine parameters
    co_await cache.set(key, body, std::chrono::seconds{300});
  }
  const std::string& key = keys[kStudents / 2];
  sre::cache::CacheLookup first = co_await cache.get(key);
  if (first.result != sre::cache::CacheLookup::Result::hit || first.value != body_of(key)) {
    state.SkipWithError("the cached key was not a hit with its value");
    co_return;
  }
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    sre::cache::CacheLookup lookup = co_await cache.get(key);
    benchmark::DoNotOptimize(lookup.value.data());
  }
  allocations.report(state);
}

void BM_local_cache(benchmark::State& state) {
  sre::core::set_io_thread_index(0);
  asio::io_context io;
  sre::cache::LocalCache cache(sre::cache::CacheOptions{}.max_entries);
  cache.start_on_this_thread(io.get_executor());
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < kStudents; ++i) {
    keys.push_back("student:" + student_id(i));
  }
  asio::co_spawn(io, local_hit_loop(state, cache, keys), [](const std::exception_ptr& e) {
    if (e) {
      std::rethrow_exception(e);
    }
  });
  io.run();
}

void BM_unordered_map(benchmark::State& state) {
  std::unordered_map<std::string, std::string> bodies;
  for (std::size_t i = 0; i < kStudents; ++i) {
    const std::string id = student_id(i);
    bodies.emplace(id, body_of(id));
  }
  const std::string id = student_id(kStudents / 2);
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    auto it = bodies.find(id);
    std::optional<std::string> value =
        it != bodies.end() ? std::optional(it->second) : std::nullopt;
    benchmark::DoNotOptimize(value->data());
  }
  allocations.report(state);
}

BENCHMARK(BM_student_response_cache)->Name("cache/student_hit/ours");
BENCHMARK(BM_unordered_map)->Name("cache/student_hit/baseline");
BENCHMARK(BM_local_cache)->Name("cache/local_get/ours");
BENCHMARK(BM_unordered_map)->Name("cache/local_get/baseline");

}  // namespace
