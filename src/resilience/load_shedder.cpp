#include "resilience/load_shedder.h"

#include <algorithm>

namespace sre::resilience {
namespace {
// Requests admitted and not yet finished on this I/O thread. One process runs one shedder, so
// one counter per thread is enough.
thread_local int t_in_flight = 0;

// The standing-queue detector of this I/O thread (CoDel's "minimum delay over an interval").
struct QueueDelayWindow {
  std::chrono::steady_clock::time_point interval_start{};
  std::chrono::nanoseconds interval_minimum = std::chrono::nanoseconds::max();
  bool standing = false;  // every request of the last full interval waited over the bound
};
thread_local QueueDelayWindow t_window;

// Feeds one request's delay; true when it should be shed for it.
bool over_standing_queue(std::chrono::nanoseconds delay, std::chrono::nanoseconds bound,
                         std::chrono::steady_clock::time_point now) {
  QueueDelayWindow& w = t_window;
  if (now - w.interval_start >= LoadShedder::kInterval) {
    // A quiet interval (no requests) leaves interval_minimum at max: that is no standing
    // queue, only the absence of samples.
    w.standing = w.interval_minimum != std::chrono::nanoseconds::max() &&
                 w.interval_minimum > bound && now - w.interval_start < 2 * LoadShedder::kInterval;
    w.interval_start = now;
    w.interval_minimum = delay;
  } else {
    w.interval_minimum = std::min(w.interval_minimum, delay);
  }
  return w.standing && delay > bound;
}

}  // namespace

LoadShedder::LoadShedder(const LoadShedderOptions& options)
    : per_thread_limit_(options.max_in_flight <= 0
                            ? 0
                            : static_cast<int>((static_cast<unsigned>(options.max_in_flight) +
                                                std::max(1U, options.threads) - 1) /
                                               std::max(1U, options.threads))),
      max_queue_delay_(options.max_queue_delay) {}

ShedDecision LoadShedder::try_admit(std::chrono::nanoseconds queue_delay,
                                    std::chrono::steady_clock::time_point now) {
  if (max_queue_delay_.count() > 0 && over_standing_queue(queue_delay, max_queue_delay_, now)) {
    return ShedDecision::shed_queue_delay;
  }
  if (per_thread_limit_ > 0 && t_in_flight >= per_thread_limit_) {
    return ShedDecision::shed_in_flight;
  }
  ++t_in_flight;
  return ShedDecision::admit;
}

void LoadShedder::finished() {
  --t_in_flight;
}

}  // namespace sre::resilience
