// Measures and logs every request: the in-flight gauge, http_requests_total and the latency
// histogram by route template, and one JSON access line (sampled for successes). Runs outside
// the exception boundary (service/exception_boundary.h), so it always sees a response.
#pragma once

#include "http/middleware.h"
#include "obs/metrics.h"

namespace sre::service {

class ObservabilityMiddleware : public http::StepMiddleware {
 public:
  ObservabilityMiddleware(obs::Metrics& metrics, double access_log_sample_rate)
      : metrics_(metrics), sample_rate_(access_log_sample_rate) {}

  void before(http::RequestContext& ctx) override;
  void after(http::RequestContext& ctx, http::Response& response) override;

  // Counts, times and logs an answered request. Also used for requests the server answered
  // by itself (400/408/413/431), which never entered the chain.
  void record(const http::RequestContext& ctx, const http::Response& response);

 private:
  bool should_log(int status) const;

  obs::Metrics& metrics_;
  double sample_rate_;
};

}  // namespace sre::service
