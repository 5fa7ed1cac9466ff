// Health endpoints, following Kubernetes' split:
//   /health/live   the process is up and its event loop answers (restart me if not)
//   /health/ready  I should receive traffic: started, not draining, database reachable
//   /health        a report for humans and dashboards: each dependency with its latency
#pragma once

#include <cstdint>
#include <string>

#include "api/lifecycle.h"
#include "http/router.h"
#include "store/student_store.h"

namespace sre::api {

class HealthApi {
 public:
  HealthApi(Lifecycle& lifecycle, store::StudentStore& store, std::string version)
      : lifecycle_(lifecycle), store_(store), version_(std::move(version)) {}

  void register_routes(http::Router& router);

 private:
  struct Check {
    bool healthy;
    std::int64_t latency_us;
    std::string error;   // for the log
    std::string reason;  // for the readiness answer, when unhealthy
  };
  http::asio::awaitable<Check> check_database();

  http::asio::awaitable<http::Response> live(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> ready(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> report(http::RequestContext& ctx);

  Lifecycle& lifecycle_;
  store::StudentStore& store_;
  std::string version_;
};

}  // namespace sre::api
