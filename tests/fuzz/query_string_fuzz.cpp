// Query strings as the list endpoint reads them: the target checked as the connection checks
// it (http/request_checks.h; the check and Boost.URL's parse must agree), parameters decoded by
// RequestContext, then the page validation (domain/validation.h). Never a crash; the single-value
// accessor agrees with the last of every value; a page that validates is within its documented
// bounds and holds the last value sent of each parameter.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/validation.h"
#include "fuzz_check.h"
#include "http/request_checks.h"
#include "http/types.h"

namespace {

std::optional<std::int64_t> integer(const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [at, error] = std::from_chars(text.data(), end, value);
  return error == std::errc{} && at == end ? std::optional<std::int64_t>(value) : std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string target =
      "/api/v1/students?" + std::string(reinterpret_cast<const char*>(data), size);
  sre::http::RequestContext ctx;
  ctx.request.target(target);
  // The connection's check and the parse a handler's query_param() does later agree.
  const bool acceptable = sre::http::is_acceptable_target(sre::http::Verb::get, target);
  FUZZ_CHECK(acceptable ==
             sre::http::parse_request_target(sre::http::Verb::get, target).has_value());
  if (!acceptable) {
    return 0;
  }

  const auto skip = ctx.query_params("skip");
  const auto limit = ctx.query_params("limit");
  for (const auto* all : {&skip, &limit}) {
    const auto last = ctx.query_param(all == &skip ? "skip" : "limit");
    FUZZ_CHECK(all->empty() == !last.has_value());
    FUZZ_CHECK(all->empty() || all->back() == *last);
  }
  const auto page = sre::domain::validate_page(skip, limit);
  if (const auto* valid = std::get_if<sre::domain::Page>(&page)) {
    FUZZ_CHECK(valid->skip >= 0);
    FUZZ_CHECK(valid->limit >= 1 && valid->limit <= sre::domain::kMaxPageLimit);
    FUZZ_CHECK(skip.empty() || integer(skip.back()) == valid->skip);
    FUZZ_CHECK(limit.empty() || integer(limit.back()) == valid->limit);
  } else {
    FUZZ_CHECK(!std::get<sre::domain::FieldErrors>(page).empty());
  }
  return 0;
}
