#include "api/login.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/url/params_view.hpp>

#include "core/log.h"
#include "http/local_reply.h"
#include "http/responses.h"
#include "service/json_body.h"

namespace sre::api {

using http::Status;

namespace {

struct Credentials {
  std::string username;
  std::string password;
};

bool is_form(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  return type.size() == 33 && boost::algorithm::iequals(type, "application/x-www-form-urlencoded");
}

core::FieldError missing(std::string_view where, std::string_view field) {
  return {{where, field}, "Field required", "missing"};
}

// The two fields from a form or a JSON body, or the reply refusing the body.
std::variant<Credentials, http::Response> read_credentials(const http::RequestContext& ctx) {
  Credentials credentials;
  const auto& request = ctx.request;
  if (is_form(request[http::beast_http::field::content_type])) {
    boost::urls::encoding_opts decoding;
    decoding.space_as_plus = true;
    boost::urls::params_view form(request.body(), decoding);
    std::optional<std::string> grant_type;
    for (auto param : form) {
      if (param.key == "username") {
        credentials.username = param.value;
      } else if (param.key == "password") {
        credentials.password = param.value;
      } else if (param.key == "grant_type") {
        grant_type = param.value;
      }
    }
    if (grant_type && *grant_type != "password") {
      return http::local_reply::validation_failed(request,
                                                  {{{"body", "grant_type"},
                                                    "String should match pattern 'password'",
                                                    "string_pattern_mismatch"}});
    }
  } else {
    auto body = service::read_json_object(ctx);
    if (auto* rejection = std::get_if<http::Response>(&body)) {
      return std::move(*rejection);
    }
    const auto& object = std::get<boost::json::object>(body);
    if (const auto* value = object.if_contains("username"); value && value->is_string()) {
      credentials.username = value->get_string();
    }
    if (const auto* value = object.if_contains("password"); value && value->is_string()) {
      credentials.password = value->get_string();
    }
  }
  core::FieldErrors errors;
  if (credentials.username.empty()) {
    errors.push_back(missing("body", "username"));
  }
  if (credentials.password.empty()) {
    errors.push_back(missing("body", "password"));
  }
  if (!errors.empty()) {
    return http::local_reply::validation_failed(request, errors);
  }
  return credentials;
}

}  // namespace

LoginApi::LoginApi(auth::LoginService& logins, const auth::TokenCodec& codec,
                   std::chrono::seconds ttl, RateLimiting* limits, prometheus::Registry& registry)
    : logins_(logins), codec_(codec), ttl_(ttl), limits_(limits) {
  auto& family = prometheus::BuildCounter()
                     .Name("auth_logins_total")
                     .Help(
                         "Logins at POST /auth/token, by outcome (refused: wrong name or "
                         "password; busy: shed, too many logins waiting)")
                     .Register(registry);
  accepted_ = &family.Add({{"outcome", "accepted"}});
  refused_ = &family.Add({{"outcome", "refused"}});
  busy_ = &family.Add({{"outcome", "busy"}});
  limited_ = &family.Add({{"outcome", "limited"}});
}

void LoginApi::register_routes(http::Router& router) {
  router.add(http::Verb::post, "/auth/token", http::RouteTag::login,
             [this](auto& ctx) { return issue_token(ctx); });
}

http::asio::awaitable<http::Response> LoginApi::issue_token(http::RequestContext& ctx) {
  if (!codec_.can_sign()) {
    co_return http::local_reply::error(
        ctx.request, Status::not_implemented,
        "This instance only verifies tokens (RS256 without JWT_PRIVATE_KEY_FILE)");
  }
  auto read = read_credentials(ctx);
  if (auto* rejection = std::get_if<http::Response>(&read)) {
    co_return std::move(*rejection);
  }
  auto& credentials = std::get<Credentials>(read);
  std::string username = credentials.username;
  if (limits_ != nullptr) {
    if (const auto retry_after = co_await limits_->login_retry_after(username); retry_after > 0) {
      limited_->Increment();
      log::warn("login limited: too many tries for this user name", {{"username", username}});
      co_return http::local_reply::rate_limited(ctx.request, retry_after);
    }
  }
  const auto result =
      co_await logins_.check(std::move(credentials.username), std::move(credentials.password));
  switch (result.outcome) {
    case auth::LoginService::Outcome::busy:
      busy_->Increment();
      log::warn("login shed: too many logins waiting for a hashing thread");
      co_return http::local_reply::retry_later(ctx.request, Status::service_unavailable,
                                               "Too many logins in progress",
                                               std::chrono::seconds(1));
    case auth::LoginService::Outcome::refused: {
      refused_->Increment();
      log::info("login refused", {{"username", username}});
      auto response = http::local_reply::error(ctx.request, Status::unauthorized,
                                               "Incorrect username or password");
      response.set(http::beast_http::field::www_authenticate, "Bearer");
      co_return response;
    }
    case auth::LoginService::Outcome::accepted:
      break;
  }
  accepted_->Increment();
  ctx.authenticated_subject = username;
  log::info("login accepted", {{"username", username}, {"role", auth::to_string(result.role)}});
  auto response = http::json_response(
      ctx.request, Status::ok,
      {{"access_token", codec_.issue(username, result.role, ttl_, auth::unix_seconds_now())},
       {"token_type", "bearer"},
       {"expires_in", ttl_.count()}});
  response.set(http::beast_http::field::cache_control, "no-store");
  co_return response;
}

}  // namespace sre::api
