// The worker's HTTP side (port 8002): what Kubernetes and Prometheus ask of it, on the same
// server skeleton as the other programs (service/http_app.h).
//
//   /health/live   the process is up and its event loop answers
//   /health/ready  consuming (schema ready, not stopping), the source reachable at the last
//                  receive, and the database answering now
//   /metrics       worker_events_processed_total, worker_event_lag_seconds, the database
//                  driver's metrics, the HTTP metrics
#pragma once

#include "service/http_app.h"
#include "store/student_store.h"
#include "worker/consumption.h"
#include "worker/worker_metrics.h"

namespace sre::worker {

class WorkerApp {
 public:
  // `database` answers the readiness ping; everything must outlive the app.
  WorkerApp(Consumption& consumption, store::StudentStore& database,
            std::shared_ptr<WorkerMetrics> metrics, unsigned io_threads);

  service::HttpApp& http() { return http_; }

 private:
  http::asio::awaitable<http::Response> ready(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> render_metrics(http::RequestContext& ctx);

  service::HttpApp http_;
  Consumption& consumption_;
  store::StudentStore& database_;
};

}  // namespace sre::worker
