// The in-process rate limiter (no REDIS_URL, or Redis unreachable): one token bucket per
// (policy, client), shared by every I/O thread of the process, without locks.
//
// Each bucket is one std::atomic<uint64_t>: 48 bits of TAT (microseconds since the limiter
// started, see token_bucket.h) and a 16-bit fingerprint of its (policy, client). Taking a token
// is a compare-and-swap loop on that word, so the limit is exact for the whole instance (the
// seed's demo holds whatever thread serves each request), and memory is fixed: 2^16 slots,
// 512 KiB, however many clients or spoofed addresses show up.
//
// Two clients can hash to the same slot. The fingerprint tells: if the slot's bucket is full
// anyway (its TAT has passed), the newcomer takes the slot over, which changes nothing for
// the previous client (a full bucket is a fresh bucket). If it is not full, both share it,
// which errs on the strict side for those two clients until it refills. With N active
// clients the chance a given one shares is about N / 65536.
//
// The alternative, per-thread buckets with limit / threads each, needs no shared word at all,
// but then a client's limit depends on how the kernel spread its connections over threads
// (a client on one keep-alive connection would get limit / threads): wrong for the seed demo.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "ratelimit/token_bucket.h"

namespace sre::ratelimit {

class LocalLimiter {
 public:
  static constexpr std::size_t kSlots = std::size_t{1} << 16;

  LocalLimiter();

  // Takes a token from the bucket of (`policy_index`, `identity`) at the current time.
  Decision take(const Rate& rate, std::size_t policy_index, std::string_view identity);
  // The same at an explicit time (microseconds since the limiter started), for tests.
  Decision take_at(const Rate& rate, std::size_t policy_index, std::string_view identity,
                   Micros now);

 private:
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<std::array<std::atomic<std::uint64_t>, kSlots>> slots_;
};

}  // namespace sre::ratelimit
