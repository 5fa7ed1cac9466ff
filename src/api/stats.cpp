#include "api/stats.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/responses.h"

namespace sre::api {

void StatsApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/api/v1/stats/grades", http::RouteTag::public_api,
             [this](http::RequestContext& ctx) { return grades(ctx); });
}

http::asio::awaitable<http::Response> StatsApi::grades(http::RequestContext& ctx) {
  auto enrollment = co_await events_.grade_enrollment();
  const std::int64_t welcomes = co_await events_.welcome_notifications();
  boost::json::array grades;
  grades.reserve(enrollment.size());
  std::int64_t total = 0;
  for (const auto& grade : enrollment) {
    if (grade.students == 0) {
      continue;  // a grade everyone has left keeps its row in the table
    }
    grades.push_back(boost::json::object{{"grade", grade.grade}, {"students", grade.students}});
    total += grade.students;
  }
  co_return http::json_response(ctx.request, http::Status::ok,
                                {{"grades", std::move(grades)},
                                 {"total_students", total},
                                 {"welcome_notifications", welcomes}});
}

}  // namespace sre::api
