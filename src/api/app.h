// The API assembled: its routes on the shared server skeleton (service/http_app.h), and the
// middlewares the API adds after the skeleton's request id, access log and exception boundary:
//
//   ... -> [load shedder] -> [auth] -> [rate limit] -> [chaos] -> handler
//
// Auth runs before the rate limiter so that limits key on the token's subject; a forged
// token costs one HMAC before its 401.
#pragma once

#include <memory>

#include "api/admin.h"
#include "api/audit.h"
#include "api/health.h"
#include "api/lifecycle.h"
#include "api/login.h"
#include "api/rate_limiting.h"
#include "api/serve_config.h"
#include "api/service_info.h"
#include "api/slo.h"
#include "api/stats.h"
#include "api/student_response_cache.h"
#include "api/students.h"
#include "auth/jwt.h"
#include "auth/login_service.h"
#include "auth/users.h"
#include "cache/redis_cache.h"
#include "grades/grades_api.h"
#include "obs/metrics.h"
#include "redis/redis_client.h"
#include "service/chaos.h"
#include "service/http_app.h"
#include "store/event_store.h"
#include "store/student_store.h"
#include "students/student_service.h"

namespace sre::api {

class App {
 public:
  // `events`: what the worker counted and the local audit log (the same database as `store`).
  // `codec` signs and verifies tokens (it must outlive the App); `users` may log in.
  // `outbox_written`: called after every commit that wrote outbox rows (wakes the relay).
  App(const ServeConfig& config, store::StudentStore& store, store::EventStore& events,
      Lifecycle& lifecycle, unsigned io_threads, const auth::TokenCodec& codec, auth::Users users,
      students::OutboxWritten outbox_written = {});

  http::asio::awaitable<http::Response> handle(http::RequestContext& ctx) {
    return http_.handle(ctx);
  }
  // For requests the server answered itself (too large, malformed, too slow).
  void on_rejected(http::RequestContext& ctx, http::Response& response) {
    http_.on_rejected(ctx, response);
  }
  // Called by each I/O thread before its event loop runs (per-thread cache and Redis state).
  void on_io_thread_start(unsigned index, const http::asio::any_io_executor& executor);

  // ENABLE_DYNAMODB: GET /api/v1/students/{id}/audit reads `table` of `dynamodb` (which must
  // outlive the App) instead of the local audit table. Call before serving.
  void read_audit_from_dynamodb(aws::DynamoDbClient& dynamodb, const std::string& table) {
    audit_->read_from_dynamodb(dynamodb, table);
  }

  const http::Router& router() const { return http_.router(); }
  obs::Metrics& metrics() { return http_.metrics(); }
  students::StudentService& student_service() { return *student_service_; }

 private:
  service::HttpApp http_;
  std::unique_ptr<redis::RedisClient> redis_;                // null without REDIS_URL
  std::unique_ptr<cache::RedisCache> shared_cache_;          // over redis_, for last known grades
  std::unique_ptr<StudentResponseCache> student_responses_;  // null with CACHE_TTL_SECONDS=0
  std::unique_ptr<RateLimiting> rate_limiting_;              // null with RATE_LIMIT_ENABLED=false
  std::unique_ptr<students::StudentService> student_service_;
  std::unique_ptr<StudentsApi> students_;
  std::unique_ptr<StatsApi> stats_;
  std::unique_ptr<AuditApi> audit_;
  std::unique_ptr<HealthApi> health_;
  std::unique_ptr<ServiceInfoApi> service_info_;
  // Reads http_'s metrics on a thread of its own: declared after http_, so it stops first.
  std::unique_ptr<SloApi> slo_;
  std::unique_ptr<grades::LastKnownGrades> last_known_grades_;
  std::unique_ptr<grades::GradesApi> grades_;
  std::unique_ptr<service::ChaosState> chaos_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<auth::LoginService> logins_;
  std::unique_ptr<LoginApi> login_;
};

}  // namespace sre::api
