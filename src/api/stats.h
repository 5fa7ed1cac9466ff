// GET /api/v1/stats/grades: what the worker has counted so far, from its tables (the
// effects of student events, see src/worker): students per grade and the welcome
// notifications written.
//
//   {"grades":[{"grade":7,"students":2},...],"total_students":2,"welcome_notifications":3}
//
// The counts follow the students a moment behind (the worker applies each change after it is
// committed: worker_event_lag_seconds), and only grades with students are listed.
#pragma once

#include "http/router.h"
#include "store/event_store.h"

namespace sre::api {

class StatsApi {
 public:
  explicit StatsApi(store::EventStore& events) : events_(events) {}

  void register_routes(http::Router& router);

 private:
  http::asio::awaitable<http::Response> grades(http::RequestContext& ctx);

  store::EventStore& events_;
};

}  // namespace sre::api
