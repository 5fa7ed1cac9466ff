// JSON Web Tokens (RFC 7519) as this service issues and accepts them: a compact JWS signed
// with HS256 (a shared secret) or RS256 (an RSA key pair), carrying sub, role, iat, exp, iss
// and jti.
//
// Verification pins the algorithm to the one configured: "none" is refused, and so is the
// other algorithm (an RS256 service handed an HS256 token "signed" with its public key is
// the classic confusion attack). A `kid` other than ours is refused; signatures are compared
// in constant time; exp and iat get a small leeway for clock skew between hosts.
//
// A TokenCodec is immutable after construction and shared by every I/O thread.
#pragma once

#include <openssl/evp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "auth/role.h"

namespace sre::auth {

enum class Algorithm : std::uint8_t { hs256, rs256 };
std::string_view to_string(Algorithm algorithm);  // "HS256", as in the JOSE header

struct Claims {
  std::string subject;  // sub
  Role role = Role::reader;
  std::int64_t issued_at = 0;   // iat, seconds since the epoch
  std::int64_t expires_at = 0;  // exp
  std::string issuer;           // iss
  std::string token_id;         // jti
};

// Why a token was refused (the label of auth_failures_total, and the log line's reason).
enum class TokenError : std::uint8_t {
  malformed,          // not three base64url parts of JSON, or claims missing or mistyped
  algorithm_refused,  // alg is not the configured one ("none", HS/RS confusion)
  unknown_key,        // kid names a key we do not have
  bad_signature,
  expired,
  not_yet_valid,  // iat or nbf in the future beyond the leeway
  wrong_issuer,
};
std::string_view to_string(TokenError error);

struct CodecOptions {
  std::string issuer = "sre-playground";
  std::string key_id;  // empty: tokens carry no kid, and any kid is unknown
  std::chrono::seconds leeway{30};
};

// Seconds since the epoch now: the `now` of issue() and verify().
std::int64_t unix_seconds_now();

class TokenCodec {
 public:
  // HS256 with `secret`: signs and verifies.
  static TokenCodec hs256(std::string secret, CodecOptions options);
  // RS256: verifies with the PEM public key; also signs when a PEM private key is given
  // (empty: this process only verifies). A one-line reason when a key does not load.
  static std::variant<TokenCodec, std::string> rs256(std::string_view public_pem,
                                                     std::string_view private_pem,
                                                     CodecOptions options);

  Algorithm algorithm() const { return algorithm_; }
  std::chrono::seconds leeway() const { return options_.leeway; }
  bool can_sign() const;

  // A fresh token for `subject` with `role`, valid `ttl` from `now` (seconds since the epoch).
  std::string issue(std::string_view subject, Role role, std::chrono::seconds ttl,
                    std::int64_t now) const;
  std::variant<Claims, TokenError> verify(std::string_view token, std::int64_t now) const;

 private:
  TokenCodec(Algorithm algorithm, CodecOptions options);
  std::string sign(std::string_view signing_input) const;
  bool signature_matches(std::string_view signing_input, std::string_view signature) const;

  Algorithm algorithm_;
  CodecOptions options_;
  std::string encoded_header_;             // base64url of the header every token we issue carries
  std::string secret_;                     // HS256
  std::shared_ptr<EVP_PKEY> public_key_;   // RS256
  std::shared_ptr<EVP_PKEY> private_key_;  // RS256, null when only verifying
};

}  // namespace sre::auth
