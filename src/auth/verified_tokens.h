// The tokens one I/O thread verified lately, so that a client sending the same token on every
// request pays for its signature check once, not per request (an HMAC and two JSON parses
// cost about as much as serving a cached GET). One per I/O thread (core::PerThread): no locks.
//
// Direct-mapped: a token's hash picks its one slot, a newer token takes the slot over. Only
// tokens that verified are kept, each until its exp (plus the leeway), and a lookup compares
// the whole token in constant time, so the cache can neither accept a token the codec would
// refuse nor tell an attacker how much of a valid token they guessed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/jwt.h"

namespace sre::auth {

class VerifiedTokens {
 public:
  static constexpr std::size_t kSlots = 64;

  // The claims of `token` if it verified before and is still valid at `now`.
  const Claims* find(std::string_view token, std::int64_t now) const;
  // Remembers a token that verified, valid until `valid_until` (seconds since the epoch).
  void remember(std::string_view token, const Claims& claims, std::int64_t valid_until);

 private:
  struct Slot {
    std::string token;
    Claims claims;
    std::int64_t valid_until = 0;
  };
  static std::size_t slot_of(std::string_view token);

  std::array<Slot, kSlots> slots_;
};

}  // namespace sre::auth
