// A student request body as POST, PUT and PATCH read it (api/student_body.h): the JSON parse
// with its depth limit (service/json_body.h), then the domain's validation. Never a crash;
// a body either gives fields or a 415/422 reply; accepted fields keep the documented rules
// (names trimmed, 1..100 code points, valid UTF-8 without controls; grade 1..12), and an
// accepted name validates again unchanged.
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "api/student_body.h"
#include "core/utf8.h"
#include "domain/validation.h"
#include "fuzz_check.h"
#include "http/types.h"

namespace {

using sre::domain::StudentFields;
using sre::domain::StudentInput;

void check_name(const std::string& name) {
  FUZZ_CHECK(!name.empty());
  FUZZ_CHECK(sre::core::is_valid_utf8(name));
  FUZZ_CHECK(name.front() != ' ' && name.back() != ' ');
  for (unsigned char c : name) {
    FUZZ_CHECK(c >= 0x20 && c != 0x7F);
  }
  boost::json::object again{{"first_name", name}, {"last_name", name}, {"grade", 1}};
  auto revalidated = sre::domain::validate_student(again, StudentInput::full);
  FUZZ_CHECK(std::holds_alternative<StudentFields>(revalidated));
  FUZZ_CHECK(std::get<StudentFields>(revalidated).first_name == name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sre::http::RequestContext ctx;
  ctx.request.method(sre::http::Verb::post);
  ctx.request.set(sre::http::beast_http::field::content_type, "application/json");
  ctx.request.body().assign(reinterpret_cast<const char*>(data), size);
  for (StudentInput mode : {StudentInput::full, StudentInput::partial}) {
    auto read = sre::api::read_student_body(ctx, mode);
    if (auto* reply = std::get_if<sre::http::Response>(&read)) {
      const unsigned status = reply->result_int();
      FUZZ_CHECK(status == 415 || status == 422);
      continue;
    }
    const auto& fields = std::get<StudentFields>(read);
    if (mode == StudentInput::full) {
      FUZZ_CHECK(fields.first_name && fields.last_name && fields.grade);
    }
    if (fields.first_name) {
      check_name(*fields.first_name);
    }
    if (fields.last_name) {
      check_name(*fields.last_name);
    }
    if (fields.grade) {
      FUZZ_CHECK(*fields.grade >= sre::domain::kMinGrade &&
                 *fields.grade <= sre::domain::kMaxGrade);
    }
  }
  return 0;
}
