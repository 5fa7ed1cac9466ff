// The "external" grade service's endpoints (`sre-playground grade-service`, port 8001): the
// dependency the API protects with its circuit breaker. It answers GET /grades/{student_id} with
// grades that are the same every time for the same id, and lets you break it on purpose, at run
// time:
//
//   PUT /admin/faults {"error_rate":0.3,"latency_ms":200,"latency_jitter_ms":50,"outage":false}
//
// error_rate: fraction of answers that are 500; latency_ms (+ a random 0..jitter): added
// before answering; outage: accept connections and requests and never answer (fields as in
// service/fault_rules.h, shared with the API's chaos rules). Faults are independent atomics,
// read on every request without a lock.
//
// A caller's X-Request-Timeout-Ms is honoured: when the injected latency would outlast it, the
// service gives up at the deadline with 504 instead of working for nobody.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>

#include "grade_service/grade_service_options.h"
#include "http/router.h"

namespace sre::grade_service {

struct GradeFaults {
  std::atomic<std::uint32_t> error_rate_ppm{0};  // parts per million
  std::atomic<std::uint32_t> latency_ms{0};
  std::atomic<std::uint32_t> latency_jitter_ms{0};
  std::atomic<bool> outage{false};
};

class GradeServiceApi {
 public:
  GradeServiceApi(const FaultOptions& faults, prometheus::Registry& registry);
  void register_routes(http::Router& router);
  GradeFaults& faults() { return faults_; }

 private:
  enum class Outcome : std::uint8_t { ok, error, outage, deadline_exceeded, invalid };
  void count(Outcome outcome);

  http::asio::awaitable<http::Response> grades(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> get_faults(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> put_faults(http::RequestContext& ctx);
  boost::json::object faults_json() const;

  GradeFaults faults_;
  std::array<prometheus::Counter*, 5> requests_{};
};

}  // namespace sre::grade_service
