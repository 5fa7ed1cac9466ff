// The last line of defence: an exception that escapes a handler (or a middleware after this
// one) becomes a reply, never a dropped connection.
//   core::DependencyUnavailable  503 + Retry-After, counted by dependency, logged as a warning
//   anything else                500 with the request id (a bug: logged as an error)
#pragma once

#include "http/middleware.h"
#include "obs/metrics.h"

namespace sre::service {

class ExceptionBoundaryMiddleware : public http::StepMiddleware {
 public:
  explicit ExceptionBoundaryMiddleware(obs::Metrics& metrics) : metrics_(metrics) {}

  std::optional<http::Response> recover(http::RequestContext& ctx,
                                        const std::exception_ptr& error) override;

 private:
  obs::Metrics& metrics_;
};

}  // namespace sre::service
