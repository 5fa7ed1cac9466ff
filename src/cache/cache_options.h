// The student cache's settings: how long answers stay cached and how many the in-process
// cache keeps. Read by the cache-aside and the in-process cache.
#pragma once

#include <chrono>
#include <vector>

#include "core/config.h"

namespace sre::cache {

struct CacheOptions {
  std::chrono::seconds ttl{300};  // 0: no caching
  unsigned max_entries = 10'000;  // in-process cache, per I/O thread

  bool enabled() const { return ttl.count() > 0; }
};

const std::vector<core::Setting<CacheOptions>>& settings();

}  // namespace sre::cache
