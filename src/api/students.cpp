#include "api/students.h"

#include <boost/json/serialize.hpp>

#include "api/student_body.h"
#include "http/local_reply.h"
#include "http/responses.h"

namespace sre::api {

using http::Status;

namespace {

constexpr std::string_view kCollection = "/api/v1/students";
constexpr std::string_view kItem = "/api/v1/students/{student_id}";

http::Response not_found(const http::Request& request) {
  return http::local_reply::error(request, Status::not_found, "Student not found");
}

}  // namespace

void StudentsApi::register_routes(http::Router& router) {
  auto bind = [this](auto method) {
    return [this, method](http::RequestContext& ctx) { return (this->*method)(ctx); };
  };
  router.add(http::Verb::post, kCollection, http::RouteTag::public_api, bind(&StudentsApi::create));
  router.add(http::Verb::get, kCollection, http::RouteTag::public_api, bind(&StudentsApi::list));
  router.add(http::Verb::get, kItem, http::RouteTag::public_api, bind(&StudentsApi::get));
  router.add(http::Verb::put, kItem, http::RouteTag::public_api, bind(&StudentsApi::replace));
  router.add(http::Verb::patch, kItem, http::RouteTag::public_api, bind(&StudentsApi::patch));
  router.add(http::Verb::delete_, kItem, http::RouteTag::public_api, bind(&StudentsApi::remove));
}

http::asio::awaitable<http::Response> StudentsApi::create(http::RequestContext& ctx) {
  auto body = read_student_body(ctx, domain::StudentInput::full);
  if (auto* rejection = std::get_if<http::Response>(&body)) {
    co_return std::move(*rejection);
  }
  students::CreateResult created =
      co_await students_.create(std::get<domain::StudentFields>(std::move(body)));
  if (std::holds_alternative<students::NoFreeStudentId>(created)) {
    co_return http::local_reply::error(ctx.request, Status::internal_server_error,
                                       "No free student id");
  }
  const auto& student = std::get<domain::Student>(created);
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
    co_return http::local_reply::validation_failed(ctx.request, *errors);
  }
  auto students = co_await students_.list(std::get<domain::Page>(page));
  boost::json::array items;
  items.reserve(students.size());
  for (const auto& student : students) {
    items.emplace_back(domain::to_json(student));
  }
  co_return http::json_response(ctx.request, Status::ok, items);
}

http::asio::awaitable<http::Response> StudentsApi::get(http::RequestContext& ctx) {
  std::string id(ctx.path_param("student_id"));
  // Not even a cache lookup for ids that cannot exist.
  if (!students::StudentService::can_exist(id)) {
    co_return not_found(ctx.request);
  }
  if (responses_ == nullptr) {
    auto student = co_await students_.find(std::move(id));
    if (!student) {
      co_return not_found(ctx.request);
    }
    co_return http::json_response(ctx.request, Status::ok, domain::to_json(*student));
  }
  const StudentResponseCache::Render render =
      [this, &id]() -> http::asio::awaitable<std::optional<std::string>> {
    auto student = co_await students_.find(id);
    if (!student) {
      co_return std::nullopt;
    }
    co_return boost::json::serialize(domain::to_json(*student));
  };
  StudentResponseCache::Result cached = co_await responses_->get(id, render);
  auto response = cached.value ? http::json_response(ctx.request, Status::ok, *cached.value)
                               : not_found(ctx.request);
  response.set("X-Cache", cached.hit ? "HIT" : "MISS");
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
  // Named first (coroutine rule: no temporaries into coroutine parameters).
  domain::StudentFields fields = std::get<domain::StudentFields>(std::move(body));
  auto student = co_await students_.update(std::move(id), std::move(fields));
  if (!student) {
    co_return not_found(ctx.request);
  }
  co_return http::json_response(ctx.request, Status::ok, domain::to_json(*student));
}

http::asio::awaitable<http::Response> StudentsApi::remove(http::RequestContext& ctx) {
  std::string id(ctx.path_param("student_id"));
  const bool removed = co_await students_.remove(std::move(id));
  if (!removed) {
    co_return not_found(ctx.request);
  }
  co_return http::empty_response(ctx.request, Status::no_content);
}

}  // namespace sre::api
