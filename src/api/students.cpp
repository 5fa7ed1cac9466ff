#include "api/students.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <variant>

#include "api/student_body.h"
#include "core/trace_context.h"
#include "http/local_reply.h"
#include "http/responses.h"

namespace sre::api {

using http::Status;

namespace {

constexpr std::string_view kCollection = "/api/v1/students";
constexpr std::string_view kItem = "/api/v1/students/{student_id}";
constexpr std::string_view kIdempotencyKeyHeader = "Idempotency-Key";

http::Response not_found(const http::Request& request) {
  return http::local_reply::error(request, Status::not_found, "Student not found");
}

// Who is writing (the token's subject, or "anonymous"), for the audit record and the event;
// the request id becomes the event's correlation id.
students::WriteContext write_context(const http::RequestContext& ctx) {
  return {std::string(ctx.actor()), ctx.request_id,
          core::format_traceparent(ctx.trace_id, ctx.span_id, ctx.trace_flags)};
}

// Stripe's rule: a key is an opaque string the client chose, of a bounded size. Visible ASCII
// only, so a key is safe to log and to store.
constexpr std::size_t kMaxIdempotencyKeyLength = 255;

bool is_acceptable_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c <= '~'; });
}

// The Idempotency-Key header: nullopt when absent, a rejection when malformed or repeated.
std::variant<std::optional<std::string>, http::Response> idempotency_key_of(
    const http::RequestContext& ctx) {
  const auto& headers = ctx.request.base();
  const auto count = std::distance(headers.equal_range(kIdempotencyKeyHeader).first,
                                   headers.equal_range(kIdempotencyKeyHeader).second);
  if (count == 0) {
    return std::optional<std::string>();
  }
  const std::string_view key = headers[kIdempotencyKeyHeader];
  if (count > 1 || !is_acceptable_idempotency_key(key)) {
    return http::local_reply::error(
        ctx.request, Status::bad_request,
        "Idempotency-Key must be one header of 1 to 255 visible ASCII characters");
  }
  return std::optional<std::string>(key);
}

// RFC 8288's `next` link: a relative URL of the page after `last`, with the same limit. It is
// a keyset link whichever way this page was asked for, so a client that follows links leaves
// OFFSET paging (whose cost grows with the skip) after its first page.
std::string next_page_link(const domain::StudentView& last, int limit) {
  return fmt::format(R"(<{}?after={}&limit={}>; rel="next")", kCollection, last.student_id, limit);
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
  auto key = idempotency_key_of(ctx);
  if (auto* rejection = std::get_if<http::Response>(&key)) {
    co_return std::move(*rejection);
  }
  // Named first (coroutine rule: no temporaries into coroutine parameters).
  const students::WriteContext context = write_context(ctx);
  students::CreateResult created =
      co_await students_.create(std::get<domain::StudentFields>(std::move(body)), context,
                                std::get<std::optional<std::string>>(std::move(key)));
  if (std::holds_alternative<students::NoFreeStudentId>(created)) {
    co_return http::local_reply::error(ctx.request, Status::internal_server_error,
                                       "No free student id");
  }
  if (std::holds_alternative<students::IdempotencyKeyReused>(created)) {
    co_return http::local_reply::error(
        ctx.request, Status::unprocessable_entity,
        "Idempotency-Key was already used with a different request body");
  }
  const auto& [student, replayed] = std::get<students::Created>(created);
  auto response = http::json_response(ctx.request, Status::created, domain::to_json_text(student));
  response.set(http::beast_http::field::location,
               std::string(kCollection) + "/" + student.student_id);
  if (replayed) {
    // The answer of the first request with this key, not a second student.
    response.set("Idempotent-Replayed", "true");
  }
  co_return response;
}

http::asio::awaitable<http::Response> StudentsApi::list(http::RequestContext& ctx) {
  auto valid = domain::validate_page(ctx.query_params("skip"), ctx.query_params("limit"),
                                     ctx.query_params("after"));
  if (auto* errors = std::get_if<domain::FieldErrors>(&valid)) {
    co_return http::local_reply::validation_failed(ctx.request, *errors);
  }
  const int limit = std::get<domain::Page>(valid).limit;
  auto listed = co_await students_.list(std::get<domain::Page>(std::move(valid)));
  if (std::holds_alternative<store::UnknownCursor>(listed)) {
    co_return http::local_reply::validation_failed(
        ctx.request, {{{"query", "after"},
                       "No student has this id: it was deleted since it was read, or never "
                       "existed; resume from an earlier page",
                       "value_error"}});
  }
  // The students point into the store's result, which `page` keeps until the page is rendered.
  const auto& page = std::get<store::StudentPage>(listed);
  std::string items;
  items.reserve(2 + page.students.size() * 192);  // a student with short names: 150-170 bytes
  items += '[';
  for (const auto& student : page.students) {
    if (items.size() > 1) {
      items += ',';
    }
    domain::append_json(items, student);
  }
  items += ']';
  auto response = http::json_response(ctx.request, Status::ok, std::move(items));
  if (page.more) {
    response.set(http::beast_http::field::link, next_page_link(page.students.back(), limit));
  }
  co_return response;
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
    co_return http::json_response(ctx.request, Status::ok, domain::to_json_text(*student));
  }
  const StudentResponseCache::Render render =
      [this, &id]() -> http::asio::awaitable<std::optional<std::string>> {
    auto student = co_await students_.find(id);
    if (!student) {
      co_return std::nullopt;
    }
    co_return domain::to_json_text(*student);
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
  const students::WriteContext context = write_context(ctx);
  auto student = co_await students_.update(std::move(id), std::move(fields), context);
  if (!student) {
    co_return not_found(ctx.request);
  }
  co_return http::json_response(ctx.request, Status::ok, domain::to_json_text(*student));
}

http::asio::awaitable<http::Response> StudentsApi::remove(http::RequestContext& ctx) {
  std::string id(ctx.path_param("student_id"));
  // Named first (coroutine rule: no temporaries into coroutine parameters).
  const students::WriteContext context = write_context(ctx);
  const bool removed = co_await students_.remove(std::move(id), context);
  if (!removed) {
    co_return not_found(ctx.request);
  }
  co_return http::empty_response(ctx.request, Status::no_content);
}

}  // namespace sre::api
