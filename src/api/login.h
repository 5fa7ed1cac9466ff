// POST /auth/token: the OAuth2 password grant, as FastAPI's OAuth2PasswordRequestForm takes
// it (form-encoded `username` and `password`), or the same fields as JSON. Answers
// {"access_token","token_type":"bearer","expires_in"}; a wrong name or password is a 401
// that does not say which was wrong, in the same time either way (auth/login_service.h).
//
// Besides the rate limiter's per-client rule, the same POST /auth/token rule is applied per
// user name tried (when rate limiting is on), so guessing one user's password from many
// addresses is limited too.
//
// Outcomes: auth_logins_total{outcome="accepted|refused|busy|limited"}.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <chrono>

#include "api/rate_limiting.h"
#include "auth/jwt.h"
#include "auth/login_service.h"
#include "http/router.h"

namespace sre::api {

class LoginApi {
 public:
  // `limits`: null when rate limiting is off.
  LoginApi(auth::LoginService& logins, const auth::TokenCodec& codec, std::chrono::seconds ttl,
           RateLimiting* limits, prometheus::Registry& registry);

  void register_routes(http::Router& router);

 private:
  http::asio::awaitable<http::Response> issue_token(http::RequestContext& ctx);

  auth::LoginService& logins_;
  const auth::TokenCodec& codec_;
  std::chrono::seconds ttl_;
  RateLimiting* limits_;
  prometheus::Counter* accepted_;
  prometheus::Counter* refused_;
  prometheus::Counter* busy_;
  prometheus::Counter* limited_;
};

}  // namespace sre::api
