#include "api/app.h"

#include "api/middleware/load_shedding.h"
#include "api/middleware/request_id.h"
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
      caching_and_limits_(std::make_unique<CachingAndLimits>(config, *metrics_)),
      students_(
          std::make_unique<StudentsApi>(store, *metrics_, caching_and_limits_->students_cache())),
      health_(std::make_unique<HealthApi>(lifecycle, store, std::string(core::version()))),
      service_info_(std::make_unique<ServiceInfoApi>(config, *metrics_)),
      last_known_grades_(std::make_unique<grades::LastKnownGrades>(
          kLastKnownGradesSlots, caching_and_limits_->shared_cache(), kLastKnownGradesSharedTtl)),
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
  if (auto rate_limit = caching_and_limits_->rate_limit_middleware()) {
    chain_->add(std::move(rate_limit));
  }
  chain_->add(std::make_shared<ChaosMiddleware>(*chaos_, metrics_->registry()));
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
