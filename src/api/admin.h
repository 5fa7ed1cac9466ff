// Operator endpoints under /api/v1/admin:
//
//   GET  /api/v1/admin/circuit-breakers               state, counts, time to half-open
//   POST /api/v1/admin/circuit-breakers/{name}/reset  back to closed, counts cleared
//   GET  /api/v1/admin/chaos                          active chaos rules
//   PUT  /api/v1/admin/chaos                          replace the chaos rules (see chaos.h)
#pragma once

#include <vector>

#include "http/router.h"
#include "resilience/circuit_breaker.h"
#include "service/chaos.h"

namespace sre::api {

class AdminApi {
 public:
  AdminApi(std::vector<resilience::CircuitBreaker*> breakers, service::ChaosState& chaos)
      : breakers_(std::move(breakers)), chaos_(chaos) {}

  void register_routes(http::Router& router);

 private:
  http::asio::awaitable<http::Response> list_breakers(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> reset_breaker(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> get_chaos(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> put_chaos(http::RequestContext& ctx);

  std::vector<resilience::CircuitBreaker*> breakers_;
  service::ChaosState& chaos_;
};

}  // namespace sre::api
