// The students resource: /api/v1/students and /api/v1/students/{student_id}.
#pragma once

#include "http/router.h"
#include "obs/metrics.h"
#include "store/student_store.h"

namespace sre::api {

class StudentsApi {
 public:
  StudentsApi(store::StudentStore& store, obs::Metrics& metrics)
      : store_(store), metrics_(metrics) {}

  void register_routes(http::Router& router);

  http::asio::awaitable<http::Response> create(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> list(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> get(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> replace(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> patch(http::RequestContext& ctx);
  http::asio::awaitable<http::Response> remove(http::RequestContext& ctx);

 private:
  http::asio::awaitable<http::Response> update(http::RequestContext& ctx,
                                               domain::StudentInput mode);

  store::StudentStore& store_;
  obs::Metrics& metrics_;
};

}  // namespace sre::api
