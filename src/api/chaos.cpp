#include "api/chaos.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>

#include "core/log.h"
#include "http/responses.h"
#include "resilience/backoff.h"

namespace sre::api {

namespace asio = boost::asio;

namespace {
constexpr double kPpm = 1'000'000;

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

void ChaosState::size_for_routes() {
  slot_count_ = router_.routes().size() + 1;
  slots_ = std::make_unique<Slot[]>(slot_count_);
}

bool ChaosState::targetable(std::string_view route) {
  return route != "/health/live" && route != "/metrics" && !route.starts_with("/api/v1/admin/");
}

void ChaosState::replace(const std::vector<ChaosRule>& rules) {
  std::lock_guard lock(writers_);  // writers only; the request path never takes it
  for (std::size_t i = 0; i < slot_count_; ++i) {
    slots_[i].expires_ns.store(0, std::memory_order_release);
  }
  const std::int64_t now = steady_now_ns();
  for (const auto& rule : rules) {
    for (const auto& route : router_.routes()) {
      if (route.path_template != rule.route) {
        continue;
      }
      Slot& slot = slots_[route.id];
      slot.latency_ms.store(rule.latency_ms, std::memory_order_relaxed);
      slot.error_rate_ppm.store(static_cast<std::uint32_t>(std::lround(rule.error_rate * kPpm)),
                                std::memory_order_relaxed);
      slot.error_status.store(rule.error_status, std::memory_order_relaxed);
      slot.expires_ns.store(
          now + std::chrono::duration_cast<std::chrono::nanoseconds>(rule.duration).count(),
          std::memory_order_release);
    }
  }
}

boost::json::array ChaosState::describe() const {
  boost::json::array out;
  const std::int64_t now = steady_now_ns();
  for (const auto& route : router_.routes()) {
    const Slot& slot = slots_[route.id];
    const std::int64_t expires = slot.expires_ns.load(std::memory_order_acquire);
    if (expires <= now) {
      continue;
    }
    out.push_back(boost::json::object{
        {"route", route.path_template},
        {"latency_ms", slot.latency_ms.load(std::memory_order_relaxed)},
        {"error_rate", slot.error_rate_ppm.load(std::memory_order_relaxed) / kPpm},
        {"error_status", slot.error_status.load(std::memory_order_relaxed)},
        {"seconds_left", (expires - now + 999'999'999) / 1'000'000'000}});
  }
  return out;
}

ChaosMiddleware::ChaosMiddleware(const ChaosState& state, prometheus::Registry& registry)
    : state_(state) {
  auto& family = prometheus::BuildCounter()
                     .Name("chaos_injected_total")
                     .Help("Faults injected by API-side chaos rules (PUT /api/v1/admin/chaos)")
                     .Register(registry);
  injected_latency_ = &family.Add({{"kind", "latency"}});
  injected_errors_ = &family.Add({{"kind", "error"}});
}

http::asio::awaitable<http::Response> ChaosMiddleware::handle(http::RequestContext& ctx,
                                                              http::Next next) {
  const auto& slot = state_.slot(ctx.route != nullptr ? ctx.route->id : 0);
  const std::int64_t expires = slot.expires_ns.load(std::memory_order_acquire);
  if (expires == 0 || expires <= steady_now_ns()) {
    co_return co_await next(ctx);  // the common case: two loads and a compare
  }
  if (const auto latency = slot.latency_ms.load(std::memory_order_relaxed); latency > 0) {
    injected_latency_->Increment();
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             std::chrono::milliseconds(latency));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  const auto rate = slot.error_rate_ppm.load(std::memory_order_relaxed);
  if (rate > 0 && resilience::thread_random01() * kPpm < rate) {
    injected_errors_->Increment();
    const int status = slot.error_status.load(std::memory_order_relaxed);
    log::info(
        "chaos: injected error",
        {{"request_id", ctx.request_id}, {"route", ctx.route_template()}, {"status", status}});
    auto response = http::error_response(ctx.request, static_cast<http::Status>(status),
                                         "Injected failure (chaos experiment)");
    response.set("X-Chaos-Injected", "error");
    co_return response;
  }
  co_return co_await next(ctx);
}

}  // namespace sre::api
