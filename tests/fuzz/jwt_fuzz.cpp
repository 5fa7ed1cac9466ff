// The JWT parser and verifier (auth/jwt.h). Three ways in, chosen by the first byte:
//   0: the input is a token, verified as HS256 and as RS256 (what any client can send);
//   1: the input is a JOSE header and a claims set, signed with the HS256 secret here, so the
//      claim checks behind the signature are reached too (what a holder of the key can send);
//   2: a subject, role and lifetime issued and verified again: the round trip must hold.
// Verification must answer a claims set or a reason for every input; never crash.
#include <fuzzer/FuzzedDataProvider.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "auth/base64url.h"
#include "auth/jwt.h"
#include "core/utf8.h"
#include "fuzz_check.h"

namespace {

using sre::auth::Claims;
using sre::auth::TokenCodec;
using sre::auth::TokenError;

constexpr std::string_view kSecret = "the fuzzer's own HS256 secret";
constexpr std::int64_t kNow = 1'700'000'000;

std::string pem_of(EVP_PKEY* key, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
  if (is_private) {
    PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(out.get(), key);
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

const TokenCodec& hs256() {
  static const TokenCodec codec = TokenCodec::hs256(std::string(kSecret), {});
  return codec;
}

// An RSA key made once per process (a 1024-bit key: this is about parsing, not strength).
const TokenCodec& rs256() {
  static const TokenCodec codec = [] {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(1024), &EVP_PKEY_free);
    auto made = TokenCodec::rs256(pem_of(key.get(), false), pem_of(key.get(), true), {});
    return std::get<TokenCodec>(std::move(made));
  }();
  return codec;
}

std::string hs256_signature(std::string_view signing_input) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(),
       digest.data(), &length);
  return sre::auth::base64url_encode({reinterpret_cast<const char*>(digest.data()), length});
}

void check_answer(const std::variant<Claims, TokenError>& answer) {
  if (const auto* claims = std::get_if<Claims>(&answer)) {
    FUZZ_CHECK(!claims->subject.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  switch (input.ConsumeIntegralInRange<int>(0, 2)) {
    case 0: {
      const std::string token = input.ConsumeRemainingBytesAsString();
      check_answer(hs256().verify(token, kNow));
      check_answer(rs256().verify(token, kNow));
      break;
    }
    case 1: {
      const std::string header = input.ConsumeRandomLengthString(512);
      const std::string claims = input.ConsumeRemainingBytesAsString();
      const std::string signing_input =
          sre::auth::base64url_encode(header) + "." + sre::auth::base64url_encode(claims);
      check_answer(hs256().verify(signing_input + "." + hs256_signature(signing_input), kNow));
      break;
    }
    default: {
      const auto role = static_cast<sre::auth::Role>(input.ConsumeIntegralInRange<int>(1, 3));
      const std::chrono::seconds ttl(input.ConsumeIntegralInRange<std::int64_t>(1, 86'400 * 365));
      const std::string subject = input.ConsumeRemainingBytesAsString();
      const std::string token = hs256().issue(subject, role, ttl, kNow);
      const auto answer = hs256().verify(token, kNow);
      // Claims are JSON: a subject that is not UTF-8 cannot travel in one; nor an empty one.
      if (subject.empty() || !sre::core::is_valid_utf8(subject) || token.size() > 4096) {
        FUZZ_CHECK(std::holds_alternative<TokenError>(answer));
        break;
      }
      FUZZ_CHECK(std::holds_alternative<Claims>(answer));
      FUZZ_CHECK(std::get<Claims>(answer).subject == subject);
      FUZZ_CHECK(std::get<Claims>(answer).role == role);
      FUZZ_CHECK(std::get<Claims>(answer).expires_at == kNow + ttl.count());
      break;
    }
  }
  return 0;
}
