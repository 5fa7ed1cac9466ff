#include "service/exception_boundary.h"

#include "core/errors.h"
#include "core/log.h"
#include "http/local_reply.h"

namespace sre::service {

std::optional<http::Response> ExceptionBoundaryMiddleware::recover(
    http::RequestContext& ctx, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const core::DependencyUnavailable& e) {
    metrics_.dependency_unavailable(e.dependency()).Increment();
    log::warn("dependency unavailable", {{"dependency", e.dependency()}, {"error", e.what()}});
    return http::local_reply::retry_later(ctx.request, http::Status::service_unavailable,
                                          e.detail(), e.retry_after());
  } catch (const std::exception& e) {
    log::error("unhandled error", {{"route", ctx.route_template()}, {"error", e.what()}});
    return http::local_reply::internal_error(ctx.request, ctx.request_id);
  }
}

}  // namespace sre::service
