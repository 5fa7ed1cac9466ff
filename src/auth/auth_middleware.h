// Authentication and authorization in the middleware chain, before the rate limiter (which
// keys on the subject this sets):
//
//   1. The route's requirement comes from its tag and the method (auth/role.h).
//   2. A bearer token, when sent, is verified whatever the route: a bad one is a 401, never
//      silently ignored. A good one sets ctx.authenticated_subject (and is remembered by
//      this I/O thread until it expires: auth/verified_tokens.h).
//   3. A route that needs a role answers 401 without a token (when `required`, or always for
//      admin routes) and 403 when the token's role is too low.
//
// Refusals: auth_failures_total{reason}, and one log line with the reason (never the token).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <array>

#include "auth/jwt.h"
#include "auth/verified_tokens.h"
#include "core/per_thread.h"
#include "http/middleware.h"

namespace sre::auth {

class AuthMiddleware : public http::Middleware {
 public:
  // `required`: whether the public API needs a token (AUTH_REQUIRED); admin routes always do.
  // `io_threads`: one cache of verified tokens each.
  AuthMiddleware(const TokenCodec& codec, bool required, unsigned io_threads,
                 prometheus::Registry& registry);

  // Where a token is sent, or the route needs one.
  bool applies_to(const http::RequestContext& ctx) const override;
  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx, http::Next next) override;

  // Refusal reasons are numbered: every TokenError first, then the middleware's own.
  static constexpr std::size_t kFirstOwnReason = 7;

 private:
  enum class Refusal : std::uint8_t { missing = kFirstOwnReason, not_bearer, forbidden, count };
  http::Response refuse(const http::RequestContext& ctx, std::size_t reason);

  // The claims of a bearer token: from this thread's cache, or verified (and cached).
  std::variant<Claims, TokenError> verify(std::string_view token) const;

  const TokenCodec& codec_;
  bool required_;
  core::PerThread<VerifiedTokens> verified_;
  std::array<prometheus::Counter*, static_cast<std::size_t>(Refusal::count)> failures_{};
};

// The token of an `Authorization: Bearer <token>` header; nullopt for another scheme.
std::optional<std::string_view> bearer_token(std::string_view authorization);

}  // namespace sre::auth
