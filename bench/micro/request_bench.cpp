// From the bytes of a request to its route: what the connection (http/connection.cpp) and the
// router do before any middleware runs. Beast's parser, the head checks Beast leaves to us
// (request_checks.h), the target's URL, and the route match over the API's routes, against
// Beast's parser alone on the same bytes: the ratio is what our checks and routing add to the
// parse that any Beast server pays.
#include <benchmark/benchmark.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>
#include <cstdint>
#include <string_view>

#include "allocation_count.h"
#include "http/dispatch.h"
#include "http/request_checks.h"
#include "http/router.h"
#include "http/types.h"

namespace sre::api::embedded {
extern const std::string_view openapi_json;
}

namespace {

namespace http = sre::http;
namespace beast_http = http::beast_http;

// What curl sends.
constexpr std::string_view kGetStudent =
    "GET /api/v1/students/STU-1A2B3C4D HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
    "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";
constexpr std::string_view kHealthLive =
    "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
    "User-Agent: kube-probe/1.29\r\nAccept: */*\r\n\r\n";

// Every route and method the API serves, as its OpenAPI document lists them (a unit test keeps
// the document and the router equal), each with a handler that is never called.
const http::Router& api_router() {
  static const http::Router router = [] {
    http::Router r;
    const auto document = boost::json::parse(sre::api::embedded::openapi_json).as_object();
    for (const auto& [path, operations] : document.at("paths").as_object()) {
      for (const auto& [method, operation] : operations.as_object()) {
        const http::Verb verb = beast_http::string_to_verb(boost::algorithm::to_upper_copy(
            std::string(method)));  // "get" -> GET; "summary", "parameters"... -> unknown
        if (verb != http::Verb::unknown) {
          r.add(verb, path, http::RouteTag::public_api,
                [](http::RequestContext&) -> http::asio::awaitable<http::Response> {
                  co_return http::Response{};
                });
        }
      }
    }
    return r;
  }();
  return router;
}

// Parses `bytes` into `parser` as async_read_header does; false unless a whole request was read.
bool parse(std::string_view bytes, beast_http::request_parser<beast_http::string_body>& parser) {
  boost::system::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  return !ec && used == bytes.size() && parser.is_done();
}

// The connection's steps for one request, up to the route (ctx.route set when it matched).
bool read_and_route(std::string_view bytes, http::RequestContext& ctx) {
  if (http::has_obsolete_line_folding(bytes)) {
    return false;
  }
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(std::uint64_t{1024} * 1024);
  if (!parse(bytes, parser) || http::check_request_head(parser.get(), parser.chunked())) {
    return false;
  }
  ctx.request = parser.release();
  if (!http::is_acceptable_target(ctx.request.method(), ctx.request.target())) {
    return false;
  }
  http::route_request(api_router(), ctx);
  return true;
}

void ours(benchmark::State& state, std::string_view bytes, std::string_view expected_route) {
  {
    http::RequestContext ctx;
    if (!read_and_route(bytes, ctx) || ctx.handler == nullptr ||
        ctx.route_template() != expected_route) {
      state.SkipWithError("the request did not reach its route");
      return;
    }
  }
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    http::RequestContext ctx;  // one per request, as the connection makes it
    benchmark::DoNotOptimize(read_and_route(bytes, ctx));
    benchmark::DoNotOptimize(ctx.handler);
  }
  allocations.report(state);
}

void baseline(benchmark::State& state, std::string_view bytes, std::string_view /*route*/) {
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    beast_http::request_parser<beast_http::string_body> parser;
    benchmark::DoNotOptimize(parse(bytes, parser));
    http::Request request = parser.release();
    benchmark::DoNotOptimize(request);
  }
  allocations.report(state);
}

BENCHMARK_CAPTURE(ours, get_student, kGetStudent, "/api/v1/students/{student_id}")
    ->Name("request/get_student/ours");
BENCHMARK_CAPTURE(baseline, get_student, kGetStudent, "")->Name("request/get_student/baseline");
BENCHMARK_CAPTURE(ours, health_live, kHealthLive, "/health/live")->Name("request/health_live/ours");
BENCHMARK_CAPTURE(baseline, health_live, kHealthLive, "")->Name("request/health_live/baseline");

}  // namespace
