// The service level objectives as this instance sees them: GET /api/v1/slo (each objective of
// monitoring/slo.yaml with its SLI, error budget and burn rates), GET /api/v1/slo/history (the
// same minute by minute, and request rate, error rate and p99 by route) and the /slo page that
// draws them (web/slo.html, its script and uPlot, served from WEB_DIR with a strict CSP).
//
// The objectives are the ones `slo generate` reads: monitoring/slo.yaml is compiled into the
// binary. The figures come from slo::InstanceSlo, which folds this process's own counters
// once a second; answering reads atomics only. Every answer says that it covers one instance
// and that Prometheus is the fleet-wide truth.
#pragma once

#include <memory>

#include "api/api_options.h"
#include "api/page_assets.h"
#include "http/router.h"
#include "obs/metrics.h"
#include "slo/instance_slo.h"

namespace sre::api {

class SloApi {
 public:
  // Loads the page's assets from options.web_dir (once); nothing is tracked until start().
  explicit SloApi(const ApiOptions& options);

  void register_routes(http::Router& router);
  // Once the HTTP metrics know every route of `router`: starts folding `metrics` into the
  // objectives.
  void start(obs::Metrics& metrics, const http::Router& router);

 private:
  http::asio::awaitable<http::Response> objectives(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> history(http::RequestContext& ctx);

  std::unique_ptr<slo::InstanceSlo> slo_;
  PageAssets page_;
};

}  // namespace sre::api
