// The metrics every request updates (service/observability.cpp): obs::HttpMetrics' in-flight
// gauge up and down, and observe(), which finds the series of route, method and status, counts
// the request and puts its latency in the histogram. The baseline is the floor for a lock-free
// metric: the same five relaxed std::atomic adds (gauge up, counter, bucket, sum, gauge down)
// at fixed addresses, with no series to find. The ratio is the price of the labels.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "allocation_count.h"
#include "core/io_thread.h"
#include "obs/http_metrics.h"

namespace {

using sre::obs::HttpMetrics;

// Route labels as the API has them; index 0 is "unmatched".
const std::vector<std::string> kRoutes = {"unmatched",
                                          "/",
                                          "/health",
                                          "/health/live",
                                          "/health/ready",
                                          "/metrics",
                                          "/api/v1/students",
                                          "/api/v1/students/{student_id}",
                                          "/api/v1/students/{student_id}/grades"};
constexpr std::size_t kGetStudentRoute = 7;
constexpr double kSeconds = 0.000187;

void BM_http_metrics(benchmark::State& state) {
  sre::core::set_io_thread_index(0);  // the request path runs on an I/O thread: its own shard
  HttpMetrics metrics(kRoutes, 1);
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    metrics.started();
    metrics.finished();
    metrics.observe(kGetStudentRoute, "GET", 200, kSeconds);
  }
  allocations.report(state);
}

void BM_atomic_adds(benchmark::State& state) {
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> bucket{0};
  std::atomic<double> sum{0};
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    in_flight.fetch_add(1, std::memory_order_relaxed);
    in_flight.fetch_sub(1, std::memory_order_relaxed);
    requests.fetch_add(1, std::memory_order_relaxed);
    bucket.fetch_add(1, std::memory_order_relaxed);
    sum.fetch_add(kSeconds, std::memory_order_relaxed);
  }
  allocations.report(state);
  benchmark::DoNotOptimize(requests.load() + bucket.load());
}

BENCHMARK(BM_http_metrics)->Name("metrics/request/ours");
BENCHMARK(BM_atomic_adds)->Name("metrics/request/baseline");

}  // namespace
