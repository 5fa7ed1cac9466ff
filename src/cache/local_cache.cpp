#include "cache/local_cache.h"

#include <boost/asio/post.hpp>

namespace sre::cache {

// Least recently used first in `order`; `entries` points into it.
struct LocalCache::Shard {
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string value;
    Clock::time_point expires_at;
    std::list<std::string>::iterator position;
  };

  explicit Shard(boost::asio::any_io_executor e) : executor(std::move(e)) {}

  void erase(const std::string& key) {
    auto it = entries.find(key);
    if (it != entries.end()) {
      order.erase(it->second.position);
      entries.erase(it);
    }
  }

  boost::asio::any_io_executor executor;
  std::unordered_map<std::string, Entry> entries;
  std::list<std::string> order;
};

LocalCache::LocalCache(std::size_t max_entries_per_thread)
    : max_entries_(std::max<std::size_t>(1, max_entries_per_thread)),
      shards_(core::kMaxIoThreads, nullptr) {}

LocalCache::~LocalCache() = default;

void LocalCache::start_on_this_thread(boost::asio::any_io_executor executor) {
  if (auto* slot = shards_.local()) {
    *slot = std::make_unique<Shard>(std::move(executor));
  }
}

LocalCache::Shard* LocalCache::this_threads_shard() const {
  auto* slot = shards_.local();
  return slot != nullptr ? slot->get() : nullptr;
}

boost::asio::awaitable<CacheLookup> LocalCache::get(const std::string& key) {
  Shard* shard = this_threads_shard();
  if (shard == nullptr) {
    co_return CacheLookup{CacheLookup::Result::miss, {}};
  }
  auto it = shard->entries.find(key);
  if (it == shard->entries.end()) {
    co_return CacheLookup{CacheLookup::Result::miss, {}};
  }
  if (it->second.expires_at <= Shard::Clock::now()) {
    shard->erase(key);
    co_return CacheLookup{CacheLookup::Result::miss, {}};
  }
  shard->order.splice(shard->order.end(), shard->order, it->second.position);
  co_return CacheLookup{CacheLookup::Result::hit, it->second.value};
}

boost::asio::awaitable<bool> LocalCache::set(const std::string& key, const std::string& value,
                                             std::chrono::seconds ttl) {
  Shard* shard = this_threads_shard();
  if (shard == nullptr) {
    co_return false;
  }
  shard->erase(key);
  while (shard->entries.size() >= max_entries_) {
    const std::string oldest = shard->order.front();  // least recently used
    shard->erase(oldest);
  }
  shard->order.push_back(key);
  shard->entries.emplace(
      key, Shard::Entry{value, Shard::Clock::now() + ttl, std::prev(shard->order.end())});
  co_return true;
}

boost::asio::awaitable<bool> LocalCache::erase(const std::string& key) {
  Shard* own = this_threads_shard();
  for (unsigned thread = 0; thread < shards_.size(); ++thread) {
    auto& shard = shards_.at(thread);
    if (shard == nullptr) {
      continue;
    }
    if (shard.get() == own) {
      shard->erase(key);
    } else {
      boost::asio::post(shard->executor, [target = shard.get(), key] { target->erase(key); });
    }
  }
  co_return true;
}

}  // namespace sre::cache
