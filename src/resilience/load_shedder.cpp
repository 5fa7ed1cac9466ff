#include "resilience/load_shedder.h"

#include <algorithm>

namespace sre::resilience {
namespace {

// Feeds one request's delay to the thread's window; true when it should be shed for it.
bool over_standing_queue(LoadShedder::QueueDelayWindow& w, std::chrono::nanoseconds delay,
                         std::chrono::nanoseconds bound,
                         std::chrono::steady_clock::time_point now) {
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
      max_queue_delay_(options.max_queue_delay),
      threads_(std::max(1U, options.threads)) {}

ShedDecision LoadShedder::try_admit(std::chrono::nanoseconds queue_delay,
                                    std::chrono::steady_clock::time_point now) {
  ThreadState* state = threads_.local();
  if (state == nullptr) {
    return ShedDecision::admit;  // not an I/O thread: nothing to protect
  }
  if (max_queue_delay_.count() > 0 &&
      over_standing_queue(state->window, queue_delay, max_queue_delay_, now)) {
    return ShedDecision::shed_queue_delay;
  }
  if (per_thread_limit_ > 0 && state->in_flight >= per_thread_limit_) {
    return ShedDecision::shed_in_flight;
  }
  ++state->in_flight;
  return ShedDecision::admit;
}

void LoadShedder::finished() {
  if (ThreadState* state = threads_.local()) {
    --state->in_flight;
  }
}

}  // namespace sre::resilience
