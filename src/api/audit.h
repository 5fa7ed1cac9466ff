// GET /api/v1/students/{student_id}/audit?limit=100: who changed a student, when and how,
// newest first. Each record is the audit record written with the change
// (domain/student_change.h):
//
//   {"student_id":"STU-..","records":[{"id","timestamp","action","actor","student_id",
//    "details":{"before","after"},"request_id"},...]}
//
// The records come from the DynamoDB table sre-playground-audit (a Query on its student_id
// index) once read_from_dynamodb() is called (ENABLE_DYNAMODB), else from the local audit
// table. The student need not exist any more: the audit of a deleted student is still there
// (an unknown id has no records). DynamoDB unreachable: 503 + Retry-After (the exception
// boundary counts it as dependency "dynamodb").
#pragma once

#include <string>

#include "aws/dynamodb_client.h"
#include "http/router.h"
#include "store/event_store.h"

namespace sre::api {

class AuditApi {
 public:
  explicit AuditApi(store::EventStore& events) : events_(events) {}

  void register_routes(http::Router& router);
  // Reads the audit from `table` of `dynamodb` (which must outlive the API) from now on. Call
  // before serving.
  void read_from_dynamodb(aws::DynamoDbClient& dynamodb, const std::string& table);

 private:
  http::asio::awaitable<http::Response> audit(http::RequestContext& ctx);
  // The records as JSON text, newest first.
  http::asio::awaitable<std::vector<std::string>> local_records(const std::string& student_id,
                                                                int limit);
  http::asio::awaitable<std::vector<std::string>> dynamodb_records(const std::string& student_id,
                                                                   int limit);

  store::EventStore& events_;
  aws::DynamoDbClient* dynamodb_ = nullptr;
  aws::dynamodb::TableSchema table_;
};

}  // namespace sre::api
