// Reading a student from a request body: a JSON value (service/json_body.h), then the domain's
// validation. Either the fields or the reply to send (415, or 422 with one entry per bad field).
#pragma once

#include <variant>

#include "domain/validation.h"
#include "http/types.h"

namespace sre::api {

std::variant<domain::StudentFields, http::Response> read_student_body(
    const http::RequestContext& ctx, domain::StudentInput mode);

}  // namespace sre::api
