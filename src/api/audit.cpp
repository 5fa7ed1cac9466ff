#include "api/audit.h"

#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "domain/validation.h"
#include "http/local_reply.h"
#include "http/responses.h"

namespace sre::api {

void AuditApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/api/v1/students/{student_id}/audit", http::RouteTag::public_api,
             [this](http::RequestContext& ctx) { return audit(ctx); });
}

http::asio::awaitable<http::Response> AuditApi::audit(http::RequestContext& ctx) {
  std::string student_id(ctx.path_param("student_id"));
  // `limit` as on the students list (1..1000, default 100).
  auto page = domain::validate_page({}, ctx.query_params("limit"));
  if (auto* errors = std::get_if<domain::FieldErrors>(&page)) {
    co_return http::local_reply::validation_failed(ctx.request, *errors);
  }
  if (!core::is_path_safe_student_id(student_id)) {
    co_return http::local_reply::validation_failed(
        ctx.request, {{{"path", "student_id"},
                       "student_id must be 1..64 characters of A-Z, a-z, 0-9, '-' or '_'",
                       "value_error"}});
  }
  auto records = co_await events_.audit_records(student_id, std::get<domain::Page>(page).limit);
  // The records are stored rendered: spliced in as they are, not parsed and serialised again.
  std::string body = R"({"student_id":)" + boost::json::serialize(boost::json::value(student_id)) +
                     R"(,"records":[)";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) {
      body += ',';
    }
    body += records[i];
  }
  body += "]}";
  co_return http::json_response(ctx.request, http::Status::ok, std::string_view(body));
}

}  // namespace sre::api
