// core::append_json_string, which writes every string of every log line (the access line has
// eight), against boost::json::serialize of the same string. Three kinds of text: plain ASCII
// (nearly all of it), text with characters to escape, and UTF-8 that is copied as it is.
#include <benchmark/benchmark.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>

#include "allocation_count.h"
#include "core/json_string.h"

namespace {

// A request path as the access line carries it.
constexpr std::string_view kAscii =
    "/api/v1/students/STU-1A2B3C4D/grades?term=2026-autumn&limit=20";
// An error message quoting what the client sent.
constexpr std::string_view kEscapes =
    "invalid value \"C:\\grades\\term\"\n\tin field \"path\": expected a \"/\"";
// A name the way a school writes it.
constexpr std::string_view kUtf8 = "Zoë Ångström-Øberg, Łódź; 山田 花子; Ñandú Çelik";

void ours(benchmark::State& state, std::string_view text) {
  std::string out;
  sre::core::append_json_string(out, text);
  if (out != boost::json::serialize(boost::json::string_view(text.data(), text.size()))) {
    state.SkipWithError("append_json_string and boost::json::serialize disagree");
    return;
  }
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    out.clear();  // the log reuses one buffer per thread
    sre::core::append_json_string(out, text);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  allocations.report(state);
}

void baseline(benchmark::State& state, std::string_view text) {
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    std::string out = boost::json::serialize(boost::json::string_view(text.data(), text.size()));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  allocations.report(state);
}

BENCHMARK_CAPTURE(ours, ascii, kAscii)->Name("json_string/ascii/ours");
BENCHMARK_CAPTURE(baseline, ascii, kAscii)->Name("json_string/ascii/baseline");
BENCHMARK_CAPTURE(ours, escapes, kEscapes)->Name("json_string/escapes/ours");
BENCHMARK_CAPTURE(baseline, escapes, kEscapes)->Name("json_string/escapes/baseline");
BENCHMARK_CAPTURE(ours, utf8, kUtf8)->Name("json_string/utf8/ours");
BENCHMARK_CAPTURE(baseline, utf8, kUtf8)->Name("json_string/utf8/baseline");

}  // namespace
