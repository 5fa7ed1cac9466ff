// A latency histogram without locks (prometheus-cpp's Histogram::Observe takes a mutex): one
// series, fixed buckets, atomic counters. For dependencies' latencies (Redis commands) where
// one shared series is enough; per-route HTTP latencies use the sharded obs::HttpMetrics.
#pragma once

#include <prometheus/collectable.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace sre::obs {

class LatencyHistogram : public prometheus::Collectable {
 public:
  // Upper bounds in seconds: dependencies on a local network answer in 0.1..10 ms.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

  LatencyHistogram(std::string name, std::string help)
      : name_(std::move(name)), help_(std::move(help)) {}

  void observe(double seconds);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::string name_;
  std::string help_;
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> counts_{};  // not cumulative
  std::atomic<double> sum_{0};
};

}  // namespace sre::obs
