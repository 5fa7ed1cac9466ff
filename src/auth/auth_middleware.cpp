#include "auth/auth_middleware.h"

#include <boost/algorithm/string/predicate.hpp>

#include "core/log.h"
#include "http/local_reply.h"
#include "http/router.h"

namespace sre::auth {

namespace {

static_assert(static_cast<std::size_t>(TokenError::wrong_issuer) + 1 ==
                  static_cast<std::size_t>(AuthMiddleware::kFirstOwnReason),
              "auth_failures_total's reasons: every TokenError, then the middleware's own");

constexpr std::array<std::string_view, 10> kReasons{
    "malformed",     "algorithm_refused", "unknown_key", "bad_signature", "expired",
    "not_yet_valid", "wrong_issuer",      "missing",     "not_bearer",    "forbidden"};

}  // namespace

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !boost::algorithm::iequals(authorization.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  auto token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  return token;
}

AuthMiddleware::AuthMiddleware(const TokenCodec& codec, bool required, unsigned io_threads,
                               prometheus::Registry& registry)
    : codec_(codec), required_(required), verified_(io_threads) {
  auto& family = prometheus::BuildCounter()
                     .Name("auth_failures_total")
                     .Help("Requests refused by authentication or authorization, by reason")
                     .Register(registry);
  for (std::size_t i = 0; i < failures_.size(); ++i) {
    failures_[i] = &family.Add({{"reason", std::string(kReasons[i])}});
  }
}

std::variant<Claims, TokenError> AuthMiddleware::verify(std::string_view token) const {
  const std::int64_t now = unix_seconds_now();
  VerifiedTokens* cache = verified_.local();
  if (cache != nullptr) {
    if (const Claims* claims = cache->find(token, now)) {
      return *claims;
    }
  }
  auto verified = codec_.verify(token, now);
  if (cache != nullptr) {
    if (const auto* claims = std::get_if<Claims>(&verified)) {
      cache->remember(token, *claims, claims->expires_at + codec_.leeway().count());
    }
  }
  return verified;
}

http::Response AuthMiddleware::refuse(const http::RequestContext& ctx, std::size_t reason) {
  failures_[reason]->Increment();
  log::info("request refused by auth",
            {{"reason", kReasons[reason]}, {"route", ctx.route_template()}});
  if (reason == static_cast<std::size_t>(Refusal::forbidden)) {
    return http::local_reply::forbidden(ctx.request, "Not enough permissions");
  }
  if (reason == static_cast<std::size_t>(Refusal::missing)) {
    return http::local_reply::unauthorized(ctx.request, "Not authenticated");
  }
  return http::local_reply::unauthorized(ctx.request, "Invalid or expired token");
}

bool AuthMiddleware::applies_to(const http::RequestContext& ctx) const {
  if (ctx.route == nullptr) {
    return false;  // 404 or 405 from the dispatcher
  }
  // A token is checked whenever one is sent, even where none is needed.
  if (ctx.request.find(http::beast_http::field::authorization) != ctx.request.end()) {
    return true;
  }
  const Access access = required_access(ctx.route->tag, ctx.request.method());
  return access.role && (access.always || required_);
}

http::asio::awaitable<http::Response> AuthMiddleware::handle(http::RequestContext& ctx,
                                                             http::Next next) {
  // A request applies_to() turns away passes through the checks below untouched (no token,
  // none needed); only the missing route needs saying, before its tag is read.
  if (ctx.route == nullptr) {
    co_return co_await next(ctx);  // 404 or 405 from the dispatcher
  }
  const Access access = required_access(ctx.route->tag, ctx.request.method());
  auto header = ctx.request.find(http::beast_http::field::authorization);
  std::optional<Role> role;
  if (header != ctx.request.end()) {
    const auto token = bearer_token(header->value());
    if (!token) {
      co_return refuse(ctx, static_cast<std::size_t>(Refusal::not_bearer));
    }
    auto verified = verify(*token);
    if (const auto* error = std::get_if<TokenError>(&verified)) {
      co_return refuse(ctx, static_cast<std::size_t>(*error));
    }
    auto& claims = std::get<Claims>(verified);
    ctx.authenticated_subject = std::move(claims.subject);
    role = claims.role;
  }
  if (access.role && (access.always || required_)) {
    if (!role) {
      co_return refuse(ctx, static_cast<std::size_t>(Refusal::missing));
    }
    if (!may_act_as(*role, *access.role)) {
      co_return refuse(ctx, static_cast<std::size_t>(Refusal::forbidden));
    }
  }
  co_return co_await next(ctx);
}

}  // namespace sre::auth
