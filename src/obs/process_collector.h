// The standard process_* metrics (as the Prometheus Go and Python clients export them),
// read from /proc/self at scrape time: resident memory, CPU seconds, open file descriptors,
// their limit and the start time.
#pragma once

#include <prometheus/collectable.h>

namespace sre::obs {

class ProcessCollector : public prometheus::Collectable {
 public:
  ProcessCollector();
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  double start_time_seconds_;
};

}  // namespace sre::obs
