// The in-process rate limiter (no REDIS_URL, or Redis unreachable): one token bucket per
// (policy, client), shared by every I/O thread of the process, without locks, in a fixed
// amount of memory.
//
// The buckets live in an open-addressing table of kSlots slots. A slot holds the 64-bit hash
// of its (policy, client) and the bucket's state word: 48 bits of TAT (microseconds since the
// limiter started, see token_bucket.h) and a 16-bit tag from the same hash. A client's bucket
// is in one of the kWindow slots from its home slot on; taking a token is a compare-and-swap
// loop on the state word, so the limit is exact for the whole instance (the seed's demo holds
// whatever thread serves each request). Two clients share a bucket only if their 64-bit
// hashes are equal.
//
// Memory is bounded (kSlots * 16 bytes = 1 MiB) however many clients or spoofed addresses
// show up, so a new client may find its window full. It then takes over the slot of a bucket
// that is full anyway (its TAT has passed): a full bucket is a fresh bucket, so the previous
// client loses nothing. Only when every slot of the window holds a bucket that is not full
// (about kSlots clients inside one rule's period) is the one nearest to full taken over: that
// client's limit restarts, which errs on the lenient side and is counted
// (rate_limit_local_evictions_total) and logged once.
//
// The alternative, per-thread buckets with limit / threads each, needs no shared word at all,
// but then a client's limit depends on how the kernel spread its connections over threads
// (a client on one keep-alive connection would get limit / threads): wrong for the seed demo.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ratelimit/token_bucket.h"

namespace prometheus {
class Counter;
}

namespace sre::ratelimit {

class LocalLimiter {
 public:
  static constexpr std::size_t kSlots = std::size_t{1} << 16;
  static constexpr std::size_t kWindow = 16;

  // `live_evictions` (may be null) counts buckets taken over before they were full.
  explicit LocalLimiter(prometheus::Counter* live_evictions = nullptr);

  // Takes a token from the bucket of (`policy_index`, `identity`) at the current time.
  Decision take(const Rate& rate, std::size_t policy_index, std::string_view identity);
  // The same at an explicit time (microseconds since the limiter started), for tests.
  Decision take_at(const Rate& rate, std::size_t policy_index, std::string_view identity,
                   Micros now);

 private:
  struct alignas(16) Slot {
    std::atomic<std::uint64_t> key{0};    // 0: never used
    std::atomic<std::uint64_t> state{0};  // TAT | tag << 48
  };

  Slot* find(std::uint64_t key) const;
  Slot* claim(std::uint64_t key, Micros now);
  std::optional<Decision> take_from(Slot& slot, std::uint64_t key, const Rate& rate, Micros now);
  Slot& slot_at(std::uint64_t key, std::size_t probe) const {
    return slots_[(key + probe) & (kSlots - 1)];
  }

  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<Slot[]> slots_;
  prometheus::Counter* live_evictions_;
  std::atomic<bool> logged_live_eviction_{false};
};

}  // namespace sre::ratelimit
