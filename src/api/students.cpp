#include "api/students.h"

#include <boost/json/serialize.hpp>

#include "api/json_body.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/responses.h"

namespace sre::api {

using http::Status;

namespace {

constexpr std::string_view kCollection = "/api/v1/students";
constexpr std::string_view kItem = "/api/v1/students/{student_id}";

std::string student_cache_key(std::string_view student_id) {
  return "student:" + std::string(student_id);
}

http::Response not_found(const http::Request& request) {
  return http::error_response(request, Status::not_found, "Student not found");
}

}  // namespace

void StudentsApi::register_routes(http::Router& router) {
  auto bind = [this](auto method) {
    return [this, method](http::RequestContext& ctx) { return (this->*method)(ctx); };
  };
  router.add(http::Verb::post, kCollection, bind(&StudentsApi::create));
  router.add(http::Verb::get, kCollection, bind(&StudentsApi::list));
  router.add(http::Verb::get, kItem, bind(&StudentsApi::get));
  router.add(http::Verb::put, kItem, bind(&StudentsApi::replace));
  router.add(http::Verb::patch, kItem, bind(&StudentsApi::patch));
  router.add(http::Verb::delete_, kItem, bind(&StudentsApi::remove));
}

http::asio::awaitable<http::Response> StudentsApi::create(http::RequestContext& ctx) {
  auto body = read_student_body(ctx, domain::StudentInput::full);
  if (auto* rejection = std::get_if<http::Response>(&body)) {
    co_return std::move(*rejection);
  }
  domain::Student student =
      co_await store_.create(std::get<domain::StudentFields>(std::move(body)));
  metrics_.students_created().Increment();
  log::info("student created",
            {{"request_id", ctx.request_id}, {"student_id", student.student_id}});
  auto response = http::json_response(ctx.request, Status::created, domain::to_json(student));
  response.set(http::beast_http::field::location,
               std::string(kCollection) + "/" + student.student_id);
  co_return response;
}

http::asio::awaitable<http::Response> StudentsApi::list(http::RequestContext& ctx) {
  auto skip = ctx.query_param("skip");
  auto limit = ctx.query_param("limit");
  auto page = domain::validate_page(skip ? std::optional<std::string_view>(*skip) : std::nullopt,
                                    limit ? std::optional<std::string_view>(*limit) : std::nullopt);
  if (auto* errors = std::get_if<domain::FieldErrors>(&page)) {
    co_return validation_error(ctx.request, *errors);
  }
  auto students = co_await store_.list(std::get<domain::Page>(page));
  boost::json::array items;
  items.reserve(students.size());
  for (const auto& student : students) {
    items.emplace_back(domain::to_json(student));
  }
  co_return http::json_response(ctx.request, Status::ok, items);
}

http::asio::awaitable<http::Response> StudentsApi::get(http::RequestContext& ctx) {
  std::string id(ctx.path_param("student_id"));
  // Ids that cannot exist need no database round trip.
  if (!core::is_student_id(id)) {
    co_return not_found(ctx.request);
  }
  if (cache_ == nullptr) {
    auto student = co_await store_.find(std::move(id));
    if (!student) {
      co_return not_found(ctx.request);
    }
    co_return http::json_response(ctx.request, Status::ok, domain::to_json(*student));
  }
  // Cache-aside: the cached value is the response body, so a hit needs no JSON work at all.
  const std::string key = student_cache_key(id);
  const cache::CacheAside::Loader load =
      [this, &id]() -> http::asio::awaitable<std::optional<std::string>> {
    auto student = co_await store_.find(id);
    if (!student) {
      co_return std::nullopt;
    }
    co_return boost::json::serialize(domain::to_json(*student));
  };
  cache::CacheAside::Result result = co_await cache_->get(key, load, ctx.request_id);
  auto response = result.value ? http::json_response(ctx.request, Status::ok, *result.value)
                               : not_found(ctx.request);
  response.set("X-Cache", result.hit ? "HIT" : "MISS");
  co_return response;
}

http::asio::awaitable<http::Response> StudentsApi::replace(http::RequestContext& ctx) {
  return update(ctx, domain::StudentInput::full);
}

http::asio::awaitable<http::Response> StudentsApi::patch(http::RequestContext& ctx) {
  return update(ctx, domain::StudentInput::partial);
}

http::asio::awaitable<http::Response> StudentsApi::update(http::RequestContext& ctx,
                                                          domain::StudentInput mode) {
  std::string id(ctx.path_param("student_id"));
  auto body = read_student_body(ctx, mode);
  if (auto* rejection = std::get_if<http::Response>(&body)) {
    co_return std::move(*rejection);
  }
  if (!core::is_student_id(id)) {
    co_return not_found(ctx.request);
  }
  // Named first (coroutine rule: no temporaries into coroutine parameters).
  domain::StudentFields fields = std::get<domain::StudentFields>(std::move(body));
  auto student = co_await store_.update(id, fields);
  if (!student) {
    co_return not_found(ctx.request);
  }
  if (cache_ != nullptr) {
    const std::string key = student_cache_key(id);
    co_await cache_->invalidate(key, ctx.request_id);
  }
  log::info("student updated", {{"request_id", ctx.request_id}, {"student_id", id}});
  co_return http::json_response(ctx.request, Status::ok, domain::to_json(*student));
}

http::asio::awaitable<http::Response> StudentsApi::remove(http::RequestContext& ctx) {
  std::string id(ctx.path_param("student_id"));
  if (!core::is_student_id(id) || !co_await store_.remove(id)) {
    co_return not_found(ctx.request);
  }
  if (cache_ != nullptr) {
    const std::string key = student_cache_key(id);
    co_await cache_->invalidate(key, ctx.request_id);
  }
  log::info("student deleted", {{"request_id", ctx.request_id}, {"student_id", id}});
  co_return http::empty_response(ctx.request, Status::no_content);
}

}  // namespace sre::api
