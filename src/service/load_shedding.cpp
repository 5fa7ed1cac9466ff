#include "service/load_shedding.h"

#include "core/log.h"
#include "http/local_reply.h"

namespace sre::service {

using resilience::ShedDecision;

bool never_shed(http::RouteTag tag) {
  return tag == http::RouteTag::liveness || tag == http::RouteTag::readiness ||
         tag == http::RouteTag::metrics || tag == http::RouteTag::admin;
}

LoadSheddingMiddleware::LoadSheddingMiddleware(const resilience::LoadShedderOptions& options,
                                               prometheus::Registry& registry)
    : shedder_(options), log_windows_(options.threads) {
  auto& family = prometheus::BuildCounter()
                     .Name("http_requests_shed_total")
                     .Help("Requests answered 503 at once by the load shedder, by reason")
                     .Register(registry);
  shed_in_flight_ = &family.Add({{"reason", "in_flight"}});
  shed_queue_delay_ = &family.Add({{"reason", "queue_delay"}});
}

// One log line per thread and second while shedding (plus every shed request's access log
// line, which carries its request id): a log line per shed request would spend the CPU we
// are trying to save.
void LoadSheddingMiddleware::note_shed(const http::RequestContext& ctx, ShedDecision decision) {
  const bool in_flight = decision == ShedDecision::shed_in_flight;
  (in_flight ? shed_in_flight_ : shed_queue_delay_)->Increment();
  ShedLogWindow* window = log_windows_.local();
  if (window == nullptr) {
    return;  // not an I/O thread: nothing to pace against
  }
  ++window->shed_since_last_line;
  const auto now = std::chrono::steady_clock::now();
  if (now >= window->next_line) {
    log::warn(
        "shedding load",
        {{"reason", in_flight ? "in_flight" : "queue_delay"},
         {"queue_delay_us",
          std::chrono::duration_cast<std::chrono::microseconds>(now - ctx.received_at).count()},
         {"shed_on_this_thread", window->shed_since_last_line}});
    window->shed_since_last_line = 0;
    window->next_line = now + std::chrono::seconds(1);
  }
}

bool LoadSheddingMiddleware::applies_to(const http::RequestContext& ctx) const {
  return ctx.route == nullptr || !never_shed(ctx.route->tag);
}

http::asio::awaitable<http::Response> LoadSheddingMiddleware::handle(http::RequestContext& ctx,
                                                                     http::Next next) {
  if (!applies_to(ctx)) {
    co_return co_await next(ctx);
  }
  const auto now = std::chrono::steady_clock::now();
  const auto decision = shedder_.try_admit(now - ctx.received_at, now);
  if (decision != ShedDecision::admit) {
    note_shed(ctx, decision);
    co_return http::local_reply::retry_later(ctx.request, http::Status::service_unavailable,
                                             "Service overloaded; retry later",
                                             std::chrono::seconds(1));
  }
  http::Response response;
  try {
    response = co_await next(ctx);
  } catch (...) {
    shedder_.finished();
    throw;
  }
  shedder_.finished();
  co_return response;
}

}  // namespace sre::service
