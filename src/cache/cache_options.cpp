#include "cache/cache_options.h"

namespace sre::cache {

const std::vector<core::Setting<CacheOptions>>& settings() {
  using core::setting;
  static const std::vector<core::Setting<CacheOptions>> rows{
      setting("CACHE_TTL_SECONDS", &CacheOptions::ttl,
              core::duration_in<std::chrono::seconds>(0, 86400),
              "How long GET /api/v1/students/{id} answers stay cached; 0 turns caching off"),
      setting("CACHE_MAX_ENTRIES", &CacheOptions::max_entries,
              core::integer_in<unsigned>(1, 10'000'000),
              "In-process cache size per I/O thread (without REDIS_URL)"),
  };
  return rows;
}

}  // namespace sre::cache
