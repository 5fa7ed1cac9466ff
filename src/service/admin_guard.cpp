#include "service/admin_guard.h"

#include <boost/algorithm/string/predicate.hpp>

#include "core/log.h"
#include "http/local_reply.h"
#include "http/router.h"
#include "service/json_body.h"

namespace sre::service {

namespace {

bool is_safe(http::Verb method) {
  return method == http::Verb::get || method == http::Verb::head || method == http::Verb::options;
}

}  // namespace

bool is_same_origin(std::string_view origin, std::string_view host) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme)) {
      return !host.empty() && boost::algorithm::iequals(origin.substr(scheme.size()), host);
    }
  }
  return false;  // "null" (a sandboxed page, a file) or anything else
}

AdminGuardMiddleware::AdminGuardMiddleware(prometheus::Registry& registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("admin_requests_refused_total")
                     .Help("Requests to admin routes refused as possibly cross-site, by reason")
                     .Register(registry);
  foreign_origin_ = &family.Add({{"reason", "foreign_origin"}});
  not_json_ = &family.Add({{"reason", "not_json"}});
}

bool AdminGuardMiddleware::applies_to(const http::RequestContext& ctx) const {
  return ctx.route != nullptr && ctx.route->tag == http::RouteTag::admin &&
         !is_safe(ctx.request.method());
}

http::asio::awaitable<http::Response> AdminGuardMiddleware::handle(http::RequestContext& ctx,
                                                                   http::Next next) {
  if (!applies_to(ctx)) {
    co_return co_await next(ctx);
  }
  const auto& request = ctx.request;
  auto origin = request.find(http::beast_http::field::origin);
  if (origin != request.end() &&
      !is_same_origin(origin->value(), request[http::beast_http::field::host])) {
    foreign_origin_->Increment();
    log::warn("cross-site request to an admin route refused",
              {{"origin", origin->value()}, {"route", ctx.route_template()}});
    co_return http::local_reply::forbidden(request, "Cross-site request refused");
  }
  auto content_type = request.find(http::beast_http::field::content_type);
  if ((content_type != request.end() && !is_json_media_type(content_type->value())) ||
      (content_type == request.end() && !request.body().empty())) {
    not_json_->Increment();
    log::warn("admin request without a JSON body refused", {{"route", ctx.route_template()}});
    co_return http::local_reply::error(request, http::Status::unsupported_media_type,
                                       "Unsupported Media Type: expected application/json");
  }
  co_return co_await next(ctx);
}

}  // namespace sre::service
