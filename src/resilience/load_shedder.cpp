#include "resilience/load_shedder.h"

#include <algorithm>

namespace sre::resilience {
namespace {
// Requests admitted and not yet finished on this I/O thread. One process runs one shedder, so
// one counter per thread is enough.
thread_local int t_in_flight = 0;
}  // namespace

LoadShedder::LoadShedder(const LoadShedderOptions& options)
    : per_thread_limit_(options.max_in_flight <= 0
                            ? 0
                            : static_cast<int>((static_cast<unsigned>(options.max_in_flight) +
                                                std::max(1U, options.threads) - 1) /
                                               std::max(1U, options.threads))),
      max_queue_delay_(options.max_queue_delay) {}

ShedDecision LoadShedder::try_admit(std::chrono::nanoseconds queue_delay) {
  if (max_queue_delay_.count() > 0 && queue_delay > max_queue_delay_) {
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
