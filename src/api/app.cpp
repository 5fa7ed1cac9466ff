#include "api/app.h"

#include "api/shared_redis.h"
#include "auth/auth_middleware.h"
#include "core/build_info.h"
#include "grades/last_known_grades.h"
#include "http/cors_middleware.h"
#include "service/admin_guard.h"
#include "service/load_shedding.h"

namespace sre::api {

namespace {

// Last known grades kept in process: 4096 students (2 MiB); in Redis (when configured) for a
// day, the staleness we accept for a fallback that is marked "cached":true.
constexpr std::size_t kLastKnownGradesSlots = 4096;
constexpr std::chrono::hours kLastKnownGradesSharedTtl{24};

}  // namespace

App::App(const ServeConfig& config, store::StudentStore& store, store::EventStore& events,
         Lifecycle& lifecycle, unsigned io_threads, const auth::TokenCodec& codec,
         auth::Users users, students::OutboxWritten outbox_written)
    : http_(config.api.app_name, config.service.access_log_sample_rate),
      redis_(make_shared_redis(config.redis, http_.metrics())),
      shared_cache_(redis_ ? std::make_unique<cache::RedisCache>(*redis_) : nullptr),
      student_responses_(config.cache.enabled() ? std::make_unique<StudentResponseCache>(
                                                      config.cache, redis_.get(), http_.metrics())
                                                : nullptr),
      rate_limiting_(
          config.rate_limit.enabled
              ? std::make_unique<RateLimiting>(config.rate_limit, redis_.get(), http_.metrics())
              : nullptr),
      student_service_(std::make_unique<students::StudentService>(
          store, http_.metrics(), student_responses_.get(), config.students,
          std::move(outbox_written))),
      students_(std::make_unique<StudentsApi>(*student_service_, student_responses_.get())),
      stats_(std::make_unique<StatsApi>(events)),
      audit_(std::make_unique<AuditApi>(events)),
      health_(std::make_unique<HealthApi>(lifecycle, store, std::string(core::version()))),
      service_info_(std::make_unique<ServiceInfoApi>(config.api, http_.metrics())),
      slo_(std::make_unique<SloApi>(config.api)),
      last_known_grades_(std::make_unique<grades::LastKnownGrades>(
          kLastKnownGradesSlots, shared_cache_.get(), kLastKnownGradesSharedTtl)),
      grades_(std::make_unique<grades::GradesApi>(config.grades, http_.metrics().registry(),
                                                  *last_known_grades_)),
      logins_(std::make_unique<auth::LoginService>(std::move(users), config.auth.login_threads,
                                                   config.auth.login_queue)),
      login_(std::make_unique<LoginApi>(*logins_, codec, config.auth.token_ttl,
                                        rate_limiting_.get(), http_.metrics().registry())) {
  auto& router = http_.router();
  service_info_->register_routes(router);
  slo_->register_routes(router);
  health_->register_routes(router);
  students_->register_routes(router);
  stats_->register_routes(router);
  audit_->register_routes(router);
  grades_->register_routes(router);
  chaos_ = std::make_unique<service::ChaosState>(router);
  admin_ = std::make_unique<AdminApi>(std::vector<resilience::CircuitBreaker*>{&grades_->breaker()},
                                      *chaos_);
  admin_->register_routes(router);
  login_->register_routes(router);
  chaos_->size_for_routes();  // every route is known now

  std::vector<std::shared_ptr<http::Middleware>> middlewares;
  // First: a browser's preflight carries no credentials, and is answered before anything that
  // could refuse it; every answer after it (a 429, a 503) stays readable by an allowed page.
  if (!config.cors.origins.empty()) {
    middlewares.push_back(std::make_shared<http::CorsMiddleware>(config.cors.origins));
  }
  resilience::LoadShedderOptions shedding = config.load_shedding;
  shedding.threads = io_threads;
  if (shedding.max_in_flight > 0 || shedding.max_queue_delay.count() > 0) {
    // Both bounds 0: no shedding, and not even its middleware on the request path.
    middlewares.push_back(
        std::make_shared<service::LoadSheddingMiddleware>(shedding, http_.metrics().registry()));
  }
  middlewares.push_back(
      std::make_shared<service::AdminGuardMiddleware>(http_.metrics().registry()));
  middlewares.push_back(std::make_shared<auth::AuthMiddleware>(
      codec, auth::auth_required(config.auth, config.api.environment), io_threads,
      http_.metrics().registry()));
  // After the shedder (an overloaded instance should not spend a Redis round trip first),
  // before chaos (injected faults are for admitted traffic).
  if (rate_limiting_) {
    middlewares.push_back(rate_limiting_->middleware());
  }
  middlewares.push_back(
      std::make_shared<service::ChaosMiddleware>(*chaos_, http_.metrics().registry()));
  http_.start_chain(std::move(middlewares), io_threads);
  slo_->start(http_.metrics(), http_.router());
}

void App::on_io_thread_start(unsigned /*index*/, const http::asio::any_io_executor& executor) {
  if (redis_) {
    redis_->start_on_this_thread(executor);
  }
  if (student_responses_) {
    student_responses_->start_on_this_thread(executor);
  }
}

}  // namespace sre::api
