#include "api/app.h"

#include "api/middleware/load_shedding.h"
#include "api/middleware/request_id.h"
#include "api/shared_redis.h"
#include "core/build_info.h"
#include "grades/last_known_grades.h"
#include "http/dispatch.h"

namespace sre::api {

namespace {

// Last known grades kept in process: 4096 students (2 MiB); in Redis (when configured) for a
// day, the staleness we accept for a fallback that is marked "cached":true.
constexpr std::size_t kLastKnownGradesSlots = 4096;
constexpr std::chrono::hours kLastKnownGradesSharedTtl{24};

}  // namespace

App::App(const core::Config& config, store::StudentStore& store, Lifecycle& lifecycle,
         unsigned io_threads)
    : metrics_(std::make_unique<obs::Metrics>(config.app_name)),
      redis_(make_shared_redis(config, *metrics_)),
      shared_cache_(redis_ ? std::make_unique<cache::RedisCache>(*redis_) : nullptr),
      student_responses_(config.cache_ttl_seconds > 0 ? std::make_unique<StudentResponseCache>(
                                                            config, redis_.get(), *metrics_)
                                                      : nullptr),
      rate_limiting_(config.rate_limit_enabled
                         ? std::make_unique<RateLimiting>(config, redis_.get(), *metrics_)
                         : nullptr),
      student_service_(
          std::make_unique<students::StudentService>(store, *metrics_, student_responses_.get())),
      students_(std::make_unique<StudentsApi>(*student_service_, student_responses_.get())),
      health_(std::make_unique<HealthApi>(lifecycle, store, std::string(core::version()))),
      service_info_(std::make_unique<ServiceInfoApi>(config, *metrics_)),
      last_known_grades_(std::make_unique<grades::LastKnownGrades>(
          kLastKnownGradesSlots, shared_cache_.get(), kLastKnownGradesSharedTtl)),
      grades_(
          std::make_unique<grades::GradesApi>(config, metrics_->registry(), *last_known_grades_)) {
  service_info_->register_routes(router_);
  health_->register_routes(router_);
  students_->register_routes(router_);
  grades_->register_routes(router_);
  chaos_ = std::make_unique<ChaosState>(router_);
  admin_ = std::make_unique<AdminApi>(std::vector<resilience::CircuitBreaker*>{&grades_->breaker()},
                                      *chaos_);
  admin_->register_routes(router_);
  chaos_->size_for_routes();  // every route is known now

  std::vector<std::string> route_labels{"unmatched"};
  for (const auto& route : router_.routes()) {
    route_labels.push_back(route.path_template);
  }
  // One shard per I/O thread, plus shard 0 for everything else.
  metrics_->track_http_routes(std::move(route_labels), io_threads);

  observability_ =
      std::make_shared<ObservabilityMiddleware>(*metrics_, config.access_log_sample_rate);
  chain_ = std::make_unique<http::MiddlewareChain>(
      [](http::RequestContext& ctx) { return http::run_matched_handler(ctx); });
  chain_->add(std::make_shared<RequestIdMiddleware>());
  chain_->add(observability_);
  const resilience::LoadShedderOptions shedding{
      config.max_in_flight, std::chrono::milliseconds(config.max_queue_delay_ms), io_threads};
  if (shedding.max_in_flight > 0 || shedding.max_queue_delay.count() > 0) {
    // Both bounds 0: no shedding, and not even its middleware on the request path.
    chain_->add(std::make_shared<LoadSheddingMiddleware>(shedding, router_, metrics_->registry()));
  }
  // After the shedder (an overloaded instance should not spend a Redis round trip first),
  // before chaos (injected faults are for admitted traffic).
  if (rate_limiting_) {
    chain_->add(rate_limiting_->middleware());
  }
  chain_->add(std::make_shared<ChaosMiddleware>(*chaos_, metrics_->registry()));
}

void App::on_io_thread_start(unsigned /*index*/, const http::asio::any_io_executor& executor) {
  if (redis_) {
    redis_->start_on_this_thread(executor);
  }
  if (student_responses_) {
    student_responses_->start_on_this_thread(executor);
  }
}

http::asio::awaitable<http::Response> App::handle(http::RequestContext& ctx) {
  http::route_request(router_, ctx);
  return chain_->handle(ctx);
}

void App::on_rejected(http::RequestContext& ctx, http::Response& response) {
  assign_request_ids(ctx);
  response.set("X-Request-ID", ctx.request_id);
  observability_->record(ctx, response);
}

}  // namespace sre::api
