#include "auth/verified_tokens.h"

#include <openssl/crypto.h>

#include <functional>

namespace sre::auth {

std::size_t VerifiedTokens::slot_of(std::string_view token) {
  return std::hash<std::string_view>{}(token) % kSlots;
}

const Claims* VerifiedTokens::find(std::string_view token, std::int64_t now) const {
  const Slot& slot = slots_[slot_of(token)];
  if (slot.token.size() != token.size() || now > slot.valid_until ||
      CRYPTO_memcmp(slot.token.data(), token.data(), token.size()) != 0) {
    return nullptr;
  }
  return &slot.claims;
}

void VerifiedTokens::remember(std::string_view token, const Claims& claims,
                              std::int64_t valid_until) {
  Slot& slot = slots_[slot_of(token)];
  slot.token.assign(token);
  slot.claims = claims;
  slot.valid_until = valid_until;
}

}  // namespace sre::auth
