// log::render_into with the access line's fields (service/observability.cpp writes it for every
// logged request), against building the same line as a boost::json::object and serialising it.
// Both format the timestamp the same way, so the ratio is the JSON writing alone.
#include <benchmark/benchmark.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "allocation_count.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/log_context.h"

namespace {

namespace json = boost::json;
using sre::log::Level;

constexpr std::string_view kService = "sre-playground";
constexpr std::string_view kMethod = "GET";
constexpr std::string_view kRoute = "/api/v1/students/{student_id}";
constexpr std::string_view kPath = "/api/v1/students/STU-1A2B3C4D";
constexpr int kStatus = 200;
constexpr std::int64_t kDurationUs = 187;
constexpr std::string_view kClient = "203.0.113.42";

// The ids the connection points the log context at while it serves a request.
struct RequestIds {
  std::string request_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  std::string span_id = "00f067aa0ba902b7";
  sre::log::RequestLogContext context{&request_id, &trace_id, &span_id};
};

void render_access_line(std::string& out) {
  sre::log::render_into(out, Level::info, kService, "request",
                        {{"method", kMethod},
                         {"route", kRoute},
                         {"path", kPath},
                         {"status", kStatus},
                         {"duration_us", kDurationUs},
                         {"client", kClient}});
}

json::object access_line_object(const RequestIds& ids) {
  return {{"ts", sre::core::rfc3339_millis(std::chrono::system_clock::now())},
          {"level", "info"},
          {"msg", "request"},
          {"service", kService},
          {"request_id", ids.request_id},
          {"trace_id", ids.trace_id},
          {"span_id", ids.span_id},
          {"method", kMethod},
          {"route", kRoute},
          {"path", kPath},
          {"status", kStatus},
          {"duration_us", kDurationUs},
          {"client", kClient}};
}

// The two lines hold the same keys and values (the timestamps may differ by a millisecond).
bool same_line_but_time(std::string_view rendered, const json::object& expected) {
  json::object ours = json::parse(rendered).as_object();
  json::object theirs = expected;
  ours.erase("ts");
  theirs.erase("ts");
  return ours == theirs;
}

void BM_render_into(benchmark::State& state) {
  const RequestIds ids;
  const sre::log::ScopedRequestLogContext scope(&ids.context);
  std::string out;
  render_access_line(out);
  if (!same_line_but_time(out, access_line_object(ids))) {
    state.SkipWithError("render_into wrote another line than the json::object holds");
    return;
  }
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    out.clear();  // log::write reuses one buffer per thread
    render_access_line(out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  allocations.report(state);
}

void BM_json_object_serialize(benchmark::State& state) {
  const RequestIds ids;
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    std::string out = json::serialize(access_line_object(ids));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  allocations.report(state);
}

BENCHMARK(BM_render_into)->Name("log_line/access/ours");
BENCHMARK(BM_json_object_serialize)->Name("log_line/access/baseline");

}  // namespace
