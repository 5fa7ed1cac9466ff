#include "api/student_body.h"

#include "http/local_reply.h"
#include "service/json_body.h"

namespace sre::api {

std::variant<domain::StudentFields, http::Response> read_student_body(
    const http::RequestContext& ctx, domain::StudentInput mode) {
  auto parsed = service::read_json_value(ctx.request);
  if (auto* rejection = std::get_if<http::Response>(&parsed)) {
    return std::move(*rejection);
  }
  auto validated = domain::validate_student(std::get<boost::json::value>(parsed), mode);
  if (auto* errors = std::get_if<domain::FieldErrors>(&validated)) {
    return http::local_reply::validation_failed(ctx.request, *errors);
  }
  return std::get<domain::StudentFields>(std::move(validated));
}

}  // namespace sre::api
