// The students resource: /api/v1/students and /api/v1/students/{student_id}.
#pragma once

#include "cache/cache_aside.h"
#include "http/router.h"
#include "obs/metrics.h"
#include "store/student_store.h"

namespace sre::api {

class StudentsApi {
 public:
  // `cache`: cache-aside for single-student reads; null when caching is off.
  StudentsApi(store::StudentStore& store, obs::Metrics& metrics, cache::CacheAside* cache = nullptr)
      : store_(store), metrics_(metrics), cache_(cache) {}

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
  cache::CacheAside* cache_;
};

}  // namespace sre::api
