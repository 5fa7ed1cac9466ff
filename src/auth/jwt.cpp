#include "auth/jwt.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "auth/base64url.h"

namespace sre::auth {

namespace {

// Tokens longer than this are refused before any decoding: ours are about 300 bytes.
constexpr std::size_t kMaxTokenBytes = 4096;
constexpr std::size_t kSha256Bytes = 32;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* key) {
  return {key, [](EVP_PKEY* k) { EVP_PKEY_free(k); }};
}

std::shared_ptr<EVP_PKEY> read_pem(std::string_view pem, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) {
    return nullptr;
  }
  EVP_PKEY* key = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                             : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return nullptr;
  }
  auto owned = own(key);
  return EVP_PKEY_is_a(key, "RSA") != 0 ? owned : nullptr;
}

std::array<unsigned char, kSha256Bytes> hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, kSha256Bytes> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), &length);
  return digest;
}

std::string random_token_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return base64url_encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

// Parses decoded JSON into an object using `resource` (no heap allocation for small texts).
std::optional<boost::json::object> parse_object(std::string_view text,
                                                boost::json::storage_ptr resource) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec, std::move(resource));
  if (ec || !value.is_object()) {
    return std::nullopt;
  }
  return std::move(value.as_object());
}

const boost::json::string* string_field(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

std::optional<std::int64_t> integer_field(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (const auto* number = value->if_int64()) {
    return *number;
  }
  if (const auto* number = value->if_uint64();
      number != nullptr && *number <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(*number);
  }
  return std::nullopt;
}

}  // namespace

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view to_string(Algorithm algorithm) {
  return algorithm == Algorithm::hs256 ? "HS256" : "RS256";
}

std::string_view to_string(TokenError error) {
  switch (error) {
    case TokenError::malformed:
      return "malformed";
    case TokenError::algorithm_refused:
      return "algorithm_refused";
    case TokenError::unknown_key:
      return "unknown_key";
    case TokenError::bad_signature:
      return "bad_signature";
    case TokenError::expired:
      return "expired";
    case TokenError::not_yet_valid:
      return "not_yet_valid";
    case TokenError::wrong_issuer:
      return "wrong_issuer";
  }
  return "malformed";
}

TokenCodec::TokenCodec(Algorithm algorithm, CodecOptions options)
    : algorithm_(algorithm), options_(std::move(options)) {
  boost::json::object header{{"alg", to_string(algorithm_)}, {"typ", "JWT"}};
  if (!options_.key_id.empty()) {
    header["kid"] = options_.key_id;
  }
  encoded_header_ = base64url_encode(boost::json::serialize(header));
}

TokenCodec TokenCodec::hs256(std::string secret, CodecOptions options) {
  TokenCodec codec(Algorithm::hs256, std::move(options));
  codec.secret_ = std::move(secret);
  return codec;
}

std::variant<TokenCodec, std::string> TokenCodec::rs256(std::string_view public_pem,
                                                        std::string_view private_pem,
                                                        CodecOptions options) {
  TokenCodec codec(Algorithm::rs256, std::move(options));
  codec.public_key_ = read_pem(public_pem, false);
  if (!codec.public_key_) {
    return std::string("the public key is not an RSA public key in PEM");
  }
  if (!private_pem.empty()) {
    codec.private_key_ = read_pem(private_pem, true);
    if (!codec.private_key_) {
      return std::string("the private key is not an RSA private key in PEM");
    }
  }
  return codec;
}

bool TokenCodec::can_sign() const {
  return algorithm_ == Algorithm::hs256 || private_key_ != nullptr;
}

std::string TokenCodec::sign(std::string_view signing_input) const {
  if (algorithm_ == Algorithm::hs256) {
    const auto digest = hmac_sha256(secret_, signing_input);
    return base64url_encode({reinterpret_cast<const char*>(digest.data()), digest.size()});
  }
  if (!private_key_) {
    throw std::logic_error("this RS256 codec has no private key to sign with");
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, private_key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, signing_input.size()) != 1) {
    throw std::runtime_error("RS256 signing failed");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     signing_input.size()) != 1) {
    throw std::runtime_error("RS256 signing failed");
  }
  signature.resize(length);
  return base64url_encode(signature);
}

bool TokenCodec::signature_matches(std::string_view signing_input,
                                   std::string_view signature) const {
  if (algorithm_ == Algorithm::hs256) {
    if (signature.size() != kSha256Bytes) {
      return false;
    }
    const auto expected = hmac_sha256(secret_, signing_input);
    // Constant time: how long the comparison takes says nothing about how many bytes matched.
    return CRYPTO_memcmp(expected.data(), signature.data(), kSha256Bytes) == 0;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, public_key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

std::string TokenCodec::issue(std::string_view subject, Role role, std::chrono::seconds ttl,
                              std::int64_t now) const {
  const boost::json::object payload{
      {"sub", subject},           {"role", to_string(role)}, {"iat", now},
      {"exp", now + ttl.count()}, {"iss", options_.issuer},  {"jti", random_token_id()}};
  std::string token = encoded_header_;
  token += '.';
  token += base64url_encode(boost::json::serialize(payload));
  const std::string signature = sign(token);
  token += '.';
  token += signature;
  return token;
}

std::variant<Claims, TokenError> TokenCodec::verify(std::string_view token,
                                                    std::int64_t now) const {
  if (token.size() > kMaxTokenBytes) {
    return TokenError::malformed;
  }
  const auto first_dot = token.find('.');
  const auto last_dot = token.rfind('.');
  if (first_dot == std::string_view::npos || first_dot == last_dot ||
      token.find('.', first_dot + 1) != last_dot) {
    return TokenError::malformed;
  }
  const std::string_view signing_input = token.substr(0, last_dot);
  auto header_text = base64url_decode(token.substr(0, first_dot));
  auto payload_text = base64url_decode(token.substr(first_dot + 1, last_dot - first_dot - 1));
  auto signature = base64url_decode(token.substr(last_dot + 1));
  if (!header_text || !payload_text || !signature) {
    return TokenError::malformed;
  }

  // Header and claims are small: parse them into a buffer on the stack.
  std::array<unsigned char, 2048> buffer{};
  boost::json::monotonic_resource resource(buffer.data(), buffer.size());
  boost::json::storage_ptr storage(&resource);

  const auto header = parse_object(*header_text, storage);
  if (!header) {
    return TokenError::malformed;
  }
  const auto* alg = string_field(*header, "alg");
  if (alg == nullptr || *alg != to_string(algorithm_)) {
    return TokenError::algorithm_refused;
  }
  if (const auto* kid = header->if_contains("kid");
      kid != nullptr &&
      (!kid->is_string() || options_.key_id.empty() || kid->get_string() != options_.key_id)) {
    return TokenError::unknown_key;
  }
  if (header->contains("crit")) {
    return TokenError::malformed;  // extensions we do not understand must not be ignored
  }
  if (!signature_matches(signing_input, *signature)) {
    return TokenError::bad_signature;
  }

  const auto payload = parse_object(*payload_text, storage);
  if (!payload) {
    return TokenError::malformed;
  }
  const auto* sub = string_field(*payload, "sub");
  const auto* role_text = string_field(*payload, "role");
  const auto* iss = string_field(*payload, "iss");
  const auto* jti = string_field(*payload, "jti");
  const auto iat = integer_field(*payload, "iat");
  const auto exp = integer_field(*payload, "exp");
  const auto role = role_text != nullptr ? parse_role(*role_text) : std::nullopt;
  if (sub == nullptr || sub->empty() || !role || iss == nullptr || jti == nullptr || !iat || !exp) {
    return TokenError::malformed;
  }
  if (*iss != options_.issuer) {
    return TokenError::wrong_issuer;
  }
  const std::int64_t leeway = options_.leeway.count();
  // `now - leeway`, not `exp + leeway`: exp is the signer's number, and may be INT64_MAX.
  if (now - leeway > *exp) {
    return TokenError::expired;
  }
  const auto nbf = integer_field(*payload, "nbf");
  if (*iat > now + leeway || (nbf && *nbf > now + leeway)) {
    return TokenError::not_yet_valid;
  }
  return Claims{std::string(*sub), *role, *iat, *exp, std::string(*iss), std::string(*jti)};
}

}  // namespace sre::auth
