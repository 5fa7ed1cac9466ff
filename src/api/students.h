// The students resource over HTTP: /api/v1/students and /api/v1/students/{student_id}.
// Parses requests, asks the student service, renders its answers (status codes, Location,
// X-Cache, bodies); what the operations mean is students::StudentService's.
#pragma once

#include "api/student_response_cache.h"
#include "http/router.h"
#include "students/student_service.h"

namespace sre::api {

class StudentsApi {
 public:
  // `responses`: cached answers of single-student reads; null when caching is off.
  StudentsApi(students::StudentService& students, StudentResponseCache* responses)
      : students_(students), responses_(responses) {}

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

  students::StudentService& students_;
  StudentResponseCache* responses_;
};

}  // namespace sre::api
