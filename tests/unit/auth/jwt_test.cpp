// Tokens: issued and verified, expired, and forged every way the issue lists (wrong key,
// alg:none, a tampered payload, RS/HS confusion, an unknown kid).
#include "auth/jwt.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>

#include "auth/base64url.h"

namespace sre::auth {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr auto kHour = std::chrono::seconds(3600);

TokenCodec hs256(std::string secret = "a secret of thirty-two bytes or more!") {
  return TokenCodec::hs256(std::move(secret), {});
}

template <typename T>
T expect_ok(const std::variant<T, TokenError>& result) {
  if (const auto* error = std::get_if<TokenError>(&result)) {
    ADD_FAILURE() << "refused: " << to_string(*error);
    return {};
  }
  return std::get<T>(result);
}

TokenError expect_refused(const std::variant<Claims, TokenError>& result) {
  EXPECT_TRUE(std::holds_alternative<TokenError>(result)) << "accepted a bad token";
  return std::holds_alternative<TokenError>(result) ? std::get<TokenError>(result)
                                                    : TokenError::malformed;
}

std::vector<std::string> parts(const std::string& token) {
  auto first = token.find('.');
  auto last = token.rfind('.');
  return {token.substr(0, first), token.substr(first + 1, last - first - 1),
          token.substr(last + 1)};
}

std::string json_part(const boost::json::object& object) {
  return base64url_encode(boost::json::serialize(object));
}

boost::json::object decoded(const std::string& part) {
  return boost::json::parse(*base64url_decode(part)).as_object();
}

TEST(Jwt, IssuedTokenVerifiesWithItsClaims) {
  const auto codec = hs256();
  const auto token = codec.issue("ada", Role::staff, kHour, kNow);
  const auto claims = expect_ok(codec.verify(token, kNow + 10));
  EXPECT_EQ(claims.subject, "ada");
  EXPECT_EQ(claims.role, Role::staff);
  EXPECT_EQ(claims.issued_at, kNow);
  EXPECT_EQ(claims.expires_at, kNow + 3600);
  EXPECT_EQ(claims.issuer, "sre-playground");
  EXPECT_FALSE(claims.token_id.empty());
  EXPECT_NE(claims.token_id,
            expect_ok(codec.verify(codec.issue("ada", Role::staff, kHour, kNow), kNow)).token_id)
      << "jti must differ between tokens";
  const auto header = decoded(parts(token)[0]);
  EXPECT_EQ(header.at("alg").as_string(), "HS256");
  EXPECT_FALSE(header.contains("kid"));
}

TEST(Jwt, ExpiresAfterTheLeeway) {
  const auto codec = hs256();  // leeway 30 s
  const auto token = codec.issue("ada", Role::reader, kHour, kNow);
  expect_ok(codec.verify(token, kNow + 3600 + 30));
  EXPECT_EQ(expect_refused(codec.verify(token, kNow + 3600 + 31)), TokenError::expired);
}

// An exp at the end of time (INT64_MAX, signed by a holder of the key) overflowed
// `exp + leeway`: undefined behaviour, which in practice read the token as expired.
TEST(Jwt, AnExpiryAtTheEndOfTimeDoesNotOverflow) {
  const auto codec = hs256();
  const auto token =
      codec.issue("ada", Role::reader,
                  std::chrono::seconds(std::numeric_limits<std::int64_t>::max() - kNow), kNow);
  const auto claims = expect_ok(codec.verify(token, kNow));
  EXPECT_EQ(claims.expires_at, std::numeric_limits<std::int64_t>::max());
}

TEST(Jwt, IssuedInTheFutureIsRefusedBeyondTheLeeway) {
  const auto codec = hs256();
  const auto token = codec.issue("ada", Role::reader, kHour, kNow);
  expect_ok(codec.verify(token, kNow - 30));
  EXPECT_EQ(expect_refused(codec.verify(token, kNow - 31)), TokenError::not_yet_valid);
}

TEST(Jwt, WrongKeyIsABadSignature) {
  const auto token =
      hs256("another secret, also long enough!!").issue("ada", Role::admin, kHour, kNow);
  EXPECT_EQ(expect_refused(hs256().verify(token, kNow)), TokenError::bad_signature);
}

TEST(Jwt, TamperedPayloadIsABadSignature) {
  const auto codec = hs256();
  auto p = parts(codec.issue("ada", Role::reader, kHour, kNow));
  auto payload = decoded(p[1]);
  payload["role"] = "admin";
  const auto forged = p[0] + "." + json_part(payload) + "." + p[2];
  EXPECT_EQ(expect_refused(codec.verify(forged, kNow)), TokenError::bad_signature);
}

TEST(Jwt, AlgNoneIsRefused) {
  const auto codec = hs256();
  auto p = parts(codec.issue("ada", Role::admin, kHour, kNow));
  for (const char* alg : {"none", "None", "NONE"}) {
    const auto forged = json_part({{"alg", alg}, {"typ", "JWT"}}) + "." + p[1] + ".";
    EXPECT_EQ(expect_refused(codec.verify(forged, kNow)), TokenError::algorithm_refused) << alg;
  }
}

TEST(Jwt, MalformedTokensAreRefused) {
  const auto codec = hs256();
  const auto good = codec.issue("ada", Role::reader, kHour, kNow);
  for (const std::string& bad :
       {std::string(""), std::string("abc"), std::string("a.b"), good + ".x", std::string("..."),
        "!!." + parts(good)[1] + "." + parts(good)[2], std::string(5000, 'a')}) {
    EXPECT_EQ(expect_refused(codec.verify(bad, kNow)), TokenError::malformed) << bad;
  }
}

TEST(Jwt, OtherIssuerIsRefused) {
  CodecOptions options;
  options.issuer = "x";
  const auto theirs = TokenCodec::hs256("a secret of thirty-two bytes or more!", options);
  EXPECT_EQ(expect_refused(hs256().verify(theirs.issue("ada", Role::admin, kHour, kNow), kNow)),
            TokenError::wrong_issuer);
}

TEST(Jwt, UnknownKidIsRefused) {
  const std::string secret = "a secret of thirty-two bytes or more!";
  const auto ours = TokenCodec::hs256(secret, {.key_id = "2026-11"});
  const auto old = TokenCodec::hs256(secret, {.key_id = "2025-01"});
  const auto token = ours.issue("ada", Role::reader, kHour, kNow);
  EXPECT_EQ(decoded(parts(token)[0]).at("kid").as_string(), "2026-11");
  expect_ok(ours.verify(token, kNow));
  EXPECT_EQ(expect_refused(ours.verify(old.issue("ada", Role::reader, kHour, kNow), kNow)),
            TokenError::unknown_key);
  // A service without a kid knows no kid at all.
  EXPECT_EQ(expect_refused(hs256(secret).verify(token, kNow)), TokenError::unknown_key);
}

class Rs256 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    ASSERT_NE(key, nullptr);
    BIO* out = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long size = BIO_get_mem_data(out, &data);
    private_pem_ = std::string(data, static_cast<std::size_t>(size));
    BIO_free(out);
    out = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(out, key);
    size = BIO_get_mem_data(out, &data);
    public_pem_ = std::string(data, static_cast<std::size_t>(size));
    BIO_free(out);
    EVP_PKEY_free(key);
  }

  static TokenCodec codec(bool with_private) {
    auto made = TokenCodec::rs256(public_pem_, with_private ? private_pem_ : "", {});
    if (auto* error = std::get_if<std::string>(&made)) {
      throw std::runtime_error(*error);
    }
    return std::get<TokenCodec>(made);
  }

  static std::string private_pem_;
  static std::string public_pem_;
};
std::string Rs256::private_pem_;
std::string Rs256::public_pem_;

TEST_F(Rs256, SignsWithThePrivateKeyAndVerifiesWithThePublicOne) {
  const auto signer = codec(true);
  const auto verifier = codec(false);
  EXPECT_TRUE(signer.can_sign());
  EXPECT_FALSE(verifier.can_sign());
  const auto token = signer.issue("ada", Role::admin, kHour, kNow);
  EXPECT_EQ(decoded(parts(token)[0]).at("alg").as_string(), "RS256");
  EXPECT_EQ(expect_ok(verifier.verify(token, kNow)).role, Role::admin);

  auto p = parts(token);
  auto payload = decoded(p[1]);
  payload["sub"] = "mallory";
  EXPECT_EQ(expect_refused(verifier.verify(p[0] + "." + json_part(payload) + "." + p[2], kNow)),
            TokenError::bad_signature);
}

// The classic confusion: an HS256 token whose HMAC key is the service's RSA *public* key,
// which anyone may have. An RS256 service must not verify it as HMAC.
TEST_F(Rs256, RefusesAnHs256TokenKeyedWithThePublicKey) {
  const auto forged = TokenCodec::hs256(public_pem_, {}).issue("mallory", Role::admin, kHour, kNow);
  EXPECT_EQ(expect_refused(codec(false).verify(forged, kNow)), TokenError::algorithm_refused);
}

TEST_F(Rs256, AnHs256ServiceRefusesRs256Tokens) {
  const auto token = codec(true).issue("ada", Role::admin, kHour, kNow);
  EXPECT_EQ(expect_refused(hs256().verify(token, kNow)), TokenError::algorithm_refused);
}

TEST(Jwt, Rs256RefusesKeysThatAreNotRsaPem) {
  EXPECT_TRUE(std::holds_alternative<std::string>(TokenCodec::rs256("not a key", "", {})));
}

TEST(Base64url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
    bytes += static_cast<char>(i * 37 + 250);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64url, RefusesWhatNoEncoderWrites) {
  EXPECT_FALSE(base64url_decode("a"));     // impossible length
  EXPECT_FALSE(base64url_decode("ab=="));  // padding
  EXPECT_FALSE(base64url_decode("a+b/"));  // the other alphabet
  EXPECT_FALSE(base64url_decode("-_9"));   // non-zero leftover bits: "-_8" in disguise
}

}  // namespace
}  // namespace sre::auth
