#include "cache/cache_aside.h"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.h"

namespace sre::cache {

namespace asio = boost::asio;

// Requests waiting for the load another request of the same thread started.
struct CacheAside::Flight {
  using Waiter = asio::any_completion_handler<void(std::exception_ptr, std::optional<std::string>)>;
  std::vector<Waiter> waiters;
};

CacheAside::CacheAside(Cache& cache, std::string name, std::chrono::seconds ttl,
                       obs::Metrics& metrics)
    : cache_(cache), name_(std::move(name)), ttl_(ttl) {
  auto& requests = prometheus::BuildCounter()
                       .Name("cache_requests_total")
                       .Help("Cache lookups by result: hit, miss, error (error: read the source)")
                       .Register(metrics.registry());
  hits_ = &requests.Add({{"cache", name_}, {"result", "hit"}});
  misses_ = &requests.Add({{"cache", name_}, {"result", "miss"}});
  errors_ = &requests.Add({{"cache", name_}, {"result", "error"}});
  loads_ = &prometheus::BuildCounter()
                .Name("cache_loads_total")
                .Help(
                    "Loads from the source of truth after a cache miss (single flight: "
                    "concurrent misses of one key on one thread load once)")
                .Register(metrics.registry())
                .Add({{"cache", name_}});
  invalidation_failures_ = &prometheus::BuildCounter()
                                .Name("cache_invalidation_failures_total")
                                .Help(
                                    "Invalidations the cache did not confirm (the entry may "
                                    "be stale until its TTL)")
                                .Register(metrics.registry())
                                .Add({{"cache", name_}});
}

std::atomic<std::uint64_t>& CacheAside::epoch_of(const std::string& key) {
  return epochs_[std::hash<std::string>{}(key) % epochs_.size()];
}

CacheAside::FlightMap* CacheAside::flights() {
  return flights_.local();
}

asio::awaitable<CacheAside::Result> CacheAside::get(const std::string& key, const Loader& load) {
  CacheLookup lookup = co_await cache_.get(key);
  switch (lookup.result) {
    case CacheLookup::Result::hit:
      hits_->Increment();
      co_return Result{std::move(lookup.value), true};
    case CacheLookup::Result::miss:
      misses_->Increment();
      break;
    case CacheLookup::Result::error:
      errors_->Increment();
      log::debug("cache read failed; reading the source",
                 {{"cache", name_}, {"backend", cache_.backend()}});
      break;
  }
  // Bound to a named local first: g++ 12 mishandles co_await inside a braced initializer.
  std::optional<std::string> loaded = co_await load_once(key, load);
  co_return Result{std::move(loaded), false};
}

asio::awaitable<std::optional<std::string>> CacheAside::load_once(const std::string& key,
                                                                  const Loader& load) {
  FlightMap* flights = this->flights();
  if (flights != nullptr) {
    if (auto it = flights->find(key); it != flights->end()) {
      // Someone on this thread is already loading this key: wait for their answer.
      std::shared_ptr<Flight> flight = it->second;
      co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                              void(std::exception_ptr, std::optional<std::string>)>(
          [&flight](auto handler) { flight->waiters.emplace_back(std::move(handler)); },
          asio::use_awaitable);
    }
  }
  auto flight = std::make_shared<Flight>();
  if (flights != nullptr) {
    flights->emplace(key, flight);
  }
  const std::uint64_t epoch = epoch_of(key).load(std::memory_order_acquire);
  std::optional<std::string> value;
  std::exception_ptr error;
  try {
    loads_->Increment();
    value = co_await load();
  } catch (...) {
    error = std::current_exception();
  }
  if (flights != nullptr) {
    flights->erase(key);
  }
  auto executor = co_await asio::this_coro::executor;
  for (auto& waiter : flight->waiters) {
    asio::post(executor, [waiter = std::move(waiter), error, value]() mutable {
      std::move(waiter)(error, value);
    });
  }
  if (error) {
    std::rethrow_exception(error);
  }
  // Fill only if no invalidation of this key happened while we were loading.
  if (value && ttl_.count() > 0 && epoch_of(key).load(std::memory_order_acquire) == epoch) {
    if (!co_await cache_.set(key, *value, ttl_)) {
      errors_->Increment();
      log::debug("cache fill failed", {{"cache", name_}, {"backend", cache_.backend()}});
    }
  }
  co_return value;
}

asio::awaitable<bool> CacheAside::invalidate(const std::string& key) {
  epoch_of(key).fetch_add(1, std::memory_order_acq_rel);
  const bool erased = co_await cache_.erase(key);
  if (!erased) {
    invalidation_failures_->Increment();
    log::warn("cache invalidation failed: the entry may be stale until its TTL",
              {{"cache", name_},
               {"backend", cache_.backend()},
               {"key", key},
               {"ttl_seconds", ttl_.count()}});
  }
  co_return erased;
}

}  // namespace sre::cache
