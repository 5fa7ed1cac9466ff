// http::render_response, which turns every response into the bytes the connection writes,
// against Beast's serializer (what beast::http::async_write runs) over the same message with
// the same fields, its buffers gathered into one string as a write would gather them. The
// responses are the two answers of the request path: a cached student and /health/live.
#include <benchmark/benchmark.h>

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/serializer.hpp>
#include <string>
#include <string_view>

#include "allocation_count.h"
#include "core/clock.h"
#include "http/responses.h"
#include "http/types.h"
#include "http/wire_format.h"

namespace {

namespace http = sre::http;
namespace beast_http = http::beast_http;

constexpr std::string_view kStudentBody =
    R"({"student_id":"STU-1A2B3C4D","first_name":"Zoë","last_name":"Ångström","grade":7,)"
    R"("email":null,"created_at":"2026-11-30T09:12:44.120Z","updated_at":"2026-11-30T09:12:44.120Z"})";
constexpr std::string_view kAliveBody = R"({"status":"alive"})";

// A response as the handler and the middlewares leave it (student handler: X-Cache; request
// id middleware: X-Request-ID and traceparent).
http::Response answer(std::string_view body, bool cached) {
  http::Request request{http::Verb::get, "/", 11};
  http::Response response = http::json_response(request, http::Status::ok, body);
  if (cached) {
    response.set("X-Cache", "HIT");
  }
  response.set("X-Request-ID", "4bf92f3577b34da6a3ce929d0e0e4736");
  response.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  return response;
}

// The same message with the fields render_response adds, for Beast to write.
http::Response with_rendered_fields(http::Response response, std::string_view date) {
  response.set("X-Content-Type-Options", "nosniff");
  response.set(beast_http::field::cache_control, "no-store");
  response.set(beast_http::field::date, date);
  response.prepare_payload();  // Content-Length
  return response;
}

void beast_serialize(const http::Response& response, std::string& out) {
  out.clear();
  beast_http::serializer<false, beast_http::string_body> serializer{response};
  boost::system::error_code ec;
  do {
    serializer.next(ec, [&](boost::system::error_code&, const auto& buffers) {
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        out.append(static_cast<const char*>(buffer.data()), buffer.size());
      }
      serializer.consume(boost::beast::buffer_bytes(buffers));
    });
  } while (!ec && !serializer.is_done());
}

void ours(benchmark::State& state, std::string_view body, bool cached) {
  const http::Response response = answer(body, cached);
  const std::string& date = sre::core::http_date_now();
  std::string wire;
  http::render_response(response, http::Framing{true, date, false}, wire);
  std::string expected;
  beast_serialize(with_rendered_fields(response, date), expected);
  if (wire != expected) {
    state.SkipWithError("render_response and Beast's serializer wrote different bytes");
    return;
  }
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    // The connection takes the date per response, cached per second.
    http::render_response(response, http::Framing{true, sre::core::http_date_now(), false}, wire);
    benchmark::DoNotOptimize(wire.data());
    benchmark::ClobberMemory();
  }
  allocations.report(state);
}

void baseline(benchmark::State& state, std::string_view body, bool cached) {
  const http::Response response =
      with_rendered_fields(answer(body, cached), sre::core::http_date_now());
  std::string wire;
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    beast_serialize(response, wire);
    benchmark::DoNotOptimize(wire.data());
    benchmark::ClobberMemory();
  }
  allocations.report(state);
}

BENCHMARK_CAPTURE(ours, get_student, kStudentBody, true)->Name("response/get_student/ours");
BENCHMARK_CAPTURE(baseline, get_student, kStudentBody, true)->Name("response/get_student/baseline");
BENCHMARK_CAPTURE(ours, health_live, kAliveBody, false)->Name("response/health_live/ours");
BENCHMARK_CAPTURE(baseline, health_live, kAliveBody, false)->Name("response/health_live/baseline");

}  // namespace
