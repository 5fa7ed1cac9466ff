#include "auth/auth_options.h"

#include <array>
#include <fstream>
#include <sstream>

namespace sre::auth {

namespace {

constexpr std::string_view kDevelopmentSecret =
    "sre-playground-development-secret-anyone-can-read-this";
constexpr std::size_t kMinimumSecretBytes = 32;
// Secrets that appear in examples and tutorials: a token signed with one is forgeable.
constexpr std::array<std::string_view, 7> kKnownSecrets{
    kDevelopmentSecret, "secret",     "changeme",   "change-me",
    "your-secret-key",  "jwt-secret", "supersecret"};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return std::nullopt;
  }
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

}  // namespace

const std::vector<core::Setting<AuthOptions>>& settings() {
  using core::setting;
  // The secret is shown as *** when set: describe(), --help and the start-up line say
  // whether it is set, never what it is.
  core::ValueParser<std::string> secret = core::any_text();
  secret.show = [](const std::string& value) { return value.empty() ? "" : "***"; };
  secret.accepts = "text, 32 bytes or more";
  static const std::vector<core::Setting<AuthOptions>> rows{
      setting("AUTH_REQUIRED", &AuthOptions::required, core::one_of({"auto", "true", "false"}),
              "Whether the public API needs a token; auto: not when ENVIRONMENT=development. "
              "Admin routes always need an admin token"),
      setting("JWT_SECRET", &AuthOptions::secret, secret,
              "HS256 signing secret; unset: a development secret, refused when "
              "ENVIRONMENT=production",
              core::Visibility::secret),
      setting("JWT_ALGORITHM", &AuthOptions::algorithm, core::one_of({"HS256", "RS256"}),
              "Token signature: HS256 (JWT_SECRET) or RS256 (the key files)"),
      setting("JWT_PRIVATE_KEY_FILE", &AuthOptions::private_key_file, core::any_text(),
              "RS256: PEM RSA private key that signs tokens (unset: this process only verifies)"),
      setting("JWT_PUBLIC_KEY_FILE", &AuthOptions::public_key_file, core::any_text(),
              "RS256: PEM RSA public key that verifies tokens"),
      setting("JWT_KEY_ID", &AuthOptions::key_id, core::any_text(),
              "kid of the signing key; tokens naming another kid are refused"),
      setting("JWT_ISSUER", &AuthOptions::issuer, core::non_empty_text(),
              "iss of the tokens issued, and the only one accepted"),
      setting("JWT_TTL_SECONDS", &AuthOptions::token_ttl,
              core::duration_in<std::chrono::seconds>(60, 604800),
              "Lifetime of the tokens POST /auth/token issues"),
      setting("JWT_LEEWAY_SECONDS", &AuthOptions::leeway,
              core::duration_in<std::chrono::seconds>(0, 300),
              "Clock skew tolerated on a token's exp and iat"),
      setting("USERS_FILE", &AuthOptions::users_file, core::any_text(),
              "Users and argon2id password hashes (`sre-playground user add` writes it)"),
      setting("LOGIN_THREADS", &AuthOptions::login_threads, core::integer_in<unsigned>(1, 16),
              "Threads that hash passwords for POST /auth/token, off the I/O threads"),
      setting("LOGIN_QUEUE", &AuthOptions::login_queue, core::integer_in<unsigned>(1, 4096),
              "Logins waiting for a hashing thread; over it, 503 + Retry-After"),
  };
  return rows;
}

bool auth_required(const AuthOptions& options, std::string_view environment) {
  if (options.required == "auto") {
    return environment != "development";
  }
  return options.required == "true";
}

bool uses_development_secret(const AuthOptions& options) {
  return options.algorithm == "HS256" && options.secret.empty();
}

std::optional<std::string> secret_refusal(const AuthOptions& options,
                                          std::string_view environment) {
  if (environment != "production" || options.algorithm != "HS256") {
    return std::nullopt;
  }
  if (options.secret.empty()) {
    return "JWT_SECRET is not set (ENVIRONMENT=production needs a secret of its own)";
  }
  for (auto known : kKnownSecrets) {
    if (options.secret == known) {
      return "JWT_SECRET is a well-known default: anyone could forge tokens";
    }
  }
  if (options.secret.size() < kMinimumSecretBytes) {
    return "JWT_SECRET is shorter than 32 bytes";
  }
  return std::nullopt;
}

std::variant<TokenCodec, std::string> make_codec(const AuthOptions& options) {
  CodecOptions codec{options.issuer, options.key_id, options.leeway};
  if (options.algorithm == "HS256") {
    return TokenCodec::hs256(
        options.secret.empty() ? std::string(kDevelopmentSecret) : options.secret,
        std::move(codec));
  }
  if (options.public_key_file.empty()) {
    return std::string("JWT_ALGORITHM=RS256 needs JWT_PUBLIC_KEY_FILE");
  }
  auto public_pem = read_file(options.public_key_file);
  if (!public_pem) {
    return "cannot read JWT_PUBLIC_KEY_FILE " + options.public_key_file;
  }
  std::string private_pem;
  if (!options.private_key_file.empty()) {
    auto text = read_file(options.private_key_file);
    if (!text) {
      return "cannot read JWT_PRIVATE_KEY_FILE " + options.private_key_file;
    }
    private_pem = std::move(*text);
  }
  return TokenCodec::rs256(*public_pem, private_pem, std::move(codec));
}

}  // namespace sre::auth
