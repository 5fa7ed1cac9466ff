// Request counters and latency histograms for the HTTP server, without locks.
//
// prometheus-cpp's Family::Add takes a mutex and its Histogram::Observe another, which would
// put locks on every request. Here every series lives at a fixed index in arrays of atomics
// (and obs::Histogram), sized at startup from the routes the router knows, and each I/O
// thread writes to its own shard of the arrays (a core::PerThread, so threads do not even
// share cache lines); other threads (tests, start-up) share one more shard. A scrape sums them.
//
// Labels: method, route (the template, never the raw path: bounded cardinality), status.
// The in-flight gauge is sharded the same way: each shard counts its own requests.
#pragma once

#include <prometheus/collectable.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/per_thread.h"
#include "obs/histogram.h"

namespace sre::obs {

class HttpMetrics : public prometheus::Collectable {
 public:
  // Upper bounds of the latency histogram, in seconds. Chosen around the objectives
  // (monitoring/slo.yaml): 0.25 is a bound because the latency SLI counts requests answered
  // within 250 ms exactly, from the le="0.25" bucket; 0.1 and 0.5 around it show how close the
  // tail runs to the line; the fine bounds below 10 ms resolve the usual answers of this
  // service (tens of microseconds to a few milliseconds), and 2.5 to 10 s catch timeouts.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
  // Status codes with their own series; anything else is counted under "other".
  static constexpr std::array<int, 24> kStatuses = {200, 201, 202, 204, 301, 302, 304, 400,
                                                    401, 403, 404, 405, 408, 409, 412, 413,
                                                    415, 422, 429, 431, 500, 502, 503, 504};

  // `routes[i]` is the label of route id i (index 0: "unmatched"); one shard per I/O thread.
  HttpMetrics(std::vector<std::string> routes, unsigned io_threads);
  ~HttpMetrics() override;

  // The in-flight gauge: up when a request enters the middleware, down when it leaves.
  void started();
  void finished();
  // Counts one answered request and its latency.
  void observe(std::size_t route_id, std::string_view method, int status, double seconds);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  struct Shard {
    explicit Shard(std::size_t series);
    std::vector<std::atomic<std::uint64_t>> requests;  // [series][status]
    std::vector<Histogram<kBuckets>> durations;        // [series]
    std::atomic<std::int64_t> in_flight{0};
  };
  Shard& current_shard() const;
  template <typename Visit>
  void for_each_shard(const Visit& visit) const {
    for (unsigned i = 0; i < shards_.size(); ++i) {
      visit(shards_.at(i));
    }
    visit(*other_threads_);
  }
  static constexpr std::size_t kMethods = 8;  // GET POST PUT PATCH DELETE HEAD OPTIONS other
  std::size_t series_index(std::size_t route, std::size_t method) const {
    return route * kMethods + method;
  }

  std::vector<std::string> routes_;
  core::PerThread<Shard> shards_;
  std::unique_ptr<Shard> other_threads_;  // threads that are not I/O threads
};

}  // namespace sre::obs
