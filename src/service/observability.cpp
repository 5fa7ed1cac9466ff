#include "service/observability.h"

#include <random>

#include "core/log.h"
#include "http/router.h"

namespace sre::service {
namespace {

double uniform01() {
  thread_local std::minstd_rand engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

bool ObservabilityMiddleware::should_log(int status) const {
  if (status >= 400) {
    return log::enabled(status >= 500 ? log::Level::error : log::Level::warn);
  }
  return log::enabled(log::Level::info) && sample_rate_ > 0 &&
         (sample_rate_ >= 1 || uniform01() < sample_rate_);
}

void ObservabilityMiddleware::record(const http::RequestContext& ctx,
                                     const http::Response& response) {
  const int status = static_cast<int>(response.result_int());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.received_at).count();
  const std::string_view method = ctx.request.method_string();
  metrics_.http().observe(ctx.route ? ctx.route->id : 0, method, status, seconds);
  if (!should_log(status)) {
    return;
  }
  log::Level level = status >= 500   ? log::Level::error
                     : status >= 400 ? log::Level::warn
                                     : log::Level::info;
  std::string_view target = ctx.request.target();
  log::write(level, "request",
             {{"method", method},
              {"route", ctx.route_template()},
              {"path", target.substr(0, target.find('?'))},
              {"status", status},
              {"duration_us", static_cast<std::int64_t>(seconds * 1e6)},
              {"client", ctx.client_address}});
}

void ObservabilityMiddleware::before(http::RequestContext& /*ctx*/) {
  metrics_.http().started();
}

void ObservabilityMiddleware::after(http::RequestContext& ctx, http::Response& response) {
  metrics_.http().finished();
  record(ctx, response);
}

}  // namespace sre::service
