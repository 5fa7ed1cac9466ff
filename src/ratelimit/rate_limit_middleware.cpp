#include "ratelimit/rate_limit_middleware.h"

#include <fmt/format.h>

#include "http/local_reply.h"

namespace sre::ratelimit {

namespace {

// A structured-field string (RFC 8941): quotes and backslashes escaped.
std::string sf_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

RateLimitMiddleware::RateLimitMiddleware(RateLimiter& limiter, const RateLimitOptions& options)
    : limiter_(limiter), trusted_(options.trusted_proxies), ipv6_prefix_(options.ipv6_prefix) {
  auto format_texts_of = [this](const Policy& policy) {
    std::string quoted = sf_string(policy.name);
    std::string header =
        fmt::format("{};q={};w={}", quoted, policy.rate.limit, policy.rate.window.count());
    policy_texts_.push_back(
        {std::move(quoted), std::to_string(policy.rate.burst), std::move(header)});
  };
  for (const auto& policy : limiter_.policies().policies()) {
    format_texts_of(policy);
  }
  format_texts_of(limiter_.scrape_policy());  // index_of() puts it last
}

void RateLimitMiddleware::add_headers(http::Response& response, const Policy& policy,
                                      const Decision& decision) const {
  const auto index = limiter_.index_of(policy);
  const auto reset = ceil_seconds(decision.reset_us);
  const PolicyText& text = policy_texts_[index];
  response.set("X-RateLimit-Limit", text.burst);
  response.set("X-RateLimit-Remaining", std::to_string(decision.remaining));
  response.set("X-RateLimit-Reset", std::to_string(reset));
  response.set("RateLimit-Policy", text.policy);
  response.set("RateLimit",
               fmt::format("{};r={};t={}", text.quoted_name, decision.remaining, reset));
}

bool never_rate_limited(http::RouteTag tag) {
  return tag == http::RouteTag::liveness || tag == http::RouteTag::readiness ||
         tag == http::RouteTag::health_report;
}

bool RateLimitMiddleware::applies_to(const http::RequestContext& ctx) const {
  return ctx.route == nullptr || !never_rate_limited(ctx.route->tag);
}

http::asio::awaitable<http::Response> RateLimitMiddleware::handle(http::RequestContext& ctx,
                                                                  http::Next next) {
  if (!applies_to(ctx)) {
    co_return co_await next(ctx);
  }
  const bool scrape = ctx.route != nullptr && ctx.route->tag == http::RouteTag::metrics;
  const Policy* policy =
      scrape ? &limiter_.scrape_policy()
             : limiter_.policies().match(ctx.request.method_string(), ctx.route_template());
  if (policy == nullptr || policy->exempt) {
    co_return co_await next(ctx);
  }
  // Only trusted proxies' headers are read at all: the common case joins nothing.
  const std::string ip = trusted_.empty()
                             ? ctx.client_address
                             : client_ip(ctx.client_address, forwarded_for(ctx.request), trusted_);
  const std::string identity = client_identity(ctx.authenticated_subject, ip, ipv6_prefix_);
  const Decision decision = co_await limiter_.decide(*policy, identity);
  if (!decision.allowed) {
    const auto retry_after = std::max<std::int64_t>(1, ceil_seconds(decision.retry_after_us));
    http::Response refused = http::local_reply::rate_limited(ctx.request, retry_after);
    add_headers(refused, *policy, decision);
    co_return refused;
  }
  http::Response response = co_await next(ctx);
  add_headers(response, *policy, decision);
  co_return response;
}

}  // namespace sre::ratelimit
