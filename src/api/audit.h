// GET /api/v1/students/{student_id}/audit?limit=100: who changed a student, when and how,
// newest first. Each record is the audit record written with the change
// (domain/student_change.h):
//
//   {"student_id":"STU-..","records":[{"id","timestamp","action","actor","student_id",
//    "details":{"before","after"},"request_id"},...]}
//
// The records come from the local audit table. The student need not exist any more: the
// audit of a deleted student is still there (an unknown id has no records).
#pragma once

#include "http/router.h"
#include "store/event_store.h"

namespace sre::api {

class AuditApi {
 public:
  explicit AuditApi(store::EventStore& events) : events_(events) {}

  void register_routes(http::Router& router);

 private:
  http::asio::awaitable<http::Response> audit(http::RequestContext& ctx);

  store::EventStore& events_;
};

}  // namespace sre::api
