#include "slo/instance_slo.h"

namespace sre::slo {

InstanceSlo::InstanceSlo(SloSpec spec, const TargetLabels& target, std::vector<std::string> routes,
                         std::vector<double> latency_bounds, ReadCounters read_counters)
    : spec_(std::move(spec)),
      read_counters_(std::move(read_counters)),
      tracker_(spec_, target, std::chrono::system_clock::now()),
      routes_(std::move(routes), std::move(latency_bounds), tracker_.started()) {}

// The thread is the last member: std::jthread asks it to stop and joins it before anything
// it reads is destroyed.
InstanceSlo::~InstanceSlo() = default;

void InstanceSlo::start() {
  fold();
  thread_ = std::jthread([this](const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    // Sleeps kFoldInterval, cut short by the destructor's stop request.
    while (!wake_.wait_for(lock, stop, kFoldInterval, [&stop] { return stop.stop_requested(); })) {
      fold();
    }
  });
}

void InstanceSlo::fold() {
  const auto families = read_counters_();
  const auto now = std::chrono::system_clock::now();
  tracker_.fold(families, now);
  routes_.fold(families, now);
  folded_at_ms_.store(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count(),
      std::memory_order_release);
}

std::chrono::system_clock::time_point InstanceSlo::folded_at() const {
  return std::chrono::system_clock::time_point(
      std::chrono::milliseconds(folded_at_ms_.load(std::memory_order_acquire)));
}

}  // namespace sre::slo
