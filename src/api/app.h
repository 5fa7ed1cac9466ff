// The API assembled: routes, middleware chain and metrics, behind one entry point that the
// HTTP server calls for every request.
//
//   request -> router match -> [request id] -> [metrics + access log] -> [load shedder]
//           -> [rate limit] -> [chaos] -> handler
//
// Routing happens first so that every middleware knows the route template (metrics and logs
// label by template; later, rate limits are chosen by it).
#pragma once

#include <memory>

#include "api/admin.h"
#include "api/chaos.h"
#include "api/health.h"
#include "api/lifecycle.h"
#include "api/middleware/observability.h"
#include "api/rate_limiting.h"
#include "api/service_info.h"
#include "api/student_response_cache.h"
#include "api/students.h"
#include "cache/redis_cache.h"
#include "redis/redis_client.h"
#include "core/config.h"
#include "grades/grades_api.h"
#include "http/middleware.h"
#include "http/router.h"
#include "obs/metrics.h"
#include "store/student_store.h"
#include "students/student_service.h"

namespace sre::api {

class App {
 public:
  App(const core::Config& config, store::StudentStore& store, Lifecycle& lifecycle,
      unsigned io_threads);

  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx);
  // For requests the server answered itself (too large, malformed, too slow).
  void on_rejected(http::RequestContext& ctx, http::Response& response);
  // Called by each I/O thread before its event loop runs (per-thread cache and Redis state).
  void on_io_thread_start(unsigned index, const http::asio::any_io_executor& executor);

  const http::Router& router() const { return router_; }
  obs::Metrics& metrics() { return *metrics_; }

 private:
  http::Router router_;
  std::unique_ptr<obs::Metrics> metrics_;
  std::unique_ptr<redis::RedisClient> redis_;                // null without REDIS_URL
  std::unique_ptr<cache::RedisCache> shared_cache_;          // over redis_, for last known grades
  std::unique_ptr<StudentResponseCache> student_responses_;  // null with CACHE_TTL_SECONDS=0
  std::unique_ptr<RateLimiting> rate_limiting_;              // null with RATE_LIMIT_ENABLED=false
  std::unique_ptr<students::StudentService> student_service_;
  std::unique_ptr<StudentsApi> students_;
  std::unique_ptr<HealthApi> health_;
  std::unique_ptr<ServiceInfoApi> service_info_;
  std::unique_ptr<grades::LastKnownGrades> last_known_grades_;
  std::unique_ptr<grades::GradesApi> grades_;
  std::unique_ptr<ChaosState> chaos_;
  std::unique_ptr<AdminApi> admin_;
  std::shared_ptr<ObservabilityMiddleware> observability_;
  std::unique_ptr<http::MiddlewareChain> chain_;
};

}  // namespace sre::api
