// Load shedding: under overload, answer some requests at once with 503 + Retry-After instead
// of letting every request queue until they all time out. A fast "no" keeps the admitted
// requests within their latency objective and tells clients (and load balancers) to back off.
//
// Two bounds, each off when 0:
//  - in-flight requests (admitted, not yet answered). The limit is per process, enforced as
//    an equal share per I/O thread (ceil(limit / threads)) with a plain per-thread counter
//    (core::PerThread): no shared cache line on the request path. The cost: with uneven connection
//    spread one thread may shed while another still has room.
//  - queueing delay: how long the request waited before reaching the shedder, measured from
//    when its first bytes were read. On an event loop that is the time spent in the loop's
//    ready queue behind other work, which is what grows when the CPU is saturated. As in
//    CoDel, what counts is a STANDING queue, not one slow moment: a request is shed for its
//    delay only if it waited over the bound AND every request of the previous interval
//    (kInterval, per I/O thread) did too. One stall (the OS preempting us, a burst) passes.
#pragma once

#include <chrono>
#include <cstdint>

#include "core/per_thread.h"

namespace sre::resilience {

struct LoadShedderOptions {
  int max_in_flight = 1024;                        // per process; 0 = no bound
  std::chrono::milliseconds max_queue_delay{200};  // 0 = no bound
  unsigned threads = 1;                            // I/O threads sharing max_in_flight
};

enum class ShedDecision : std::uint8_t { admit, shed_in_flight, shed_queue_delay };

class LoadShedder {
 public:
  explicit LoadShedder(const LoadShedderOptions& options);

  static constexpr std::chrono::milliseconds kInterval{100};

  // The standing-queue detector of one I/O thread (CoDel's "minimum delay over an interval").
  struct QueueDelayWindow {
    std::chrono::steady_clock::time_point interval_start{};
    std::chrono::nanoseconds interval_minimum = std::chrono::nanoseconds::max();
    bool standing = false;  // every request of the last full interval waited over the bound
  };

  // On `admit` the request counts as in flight until finished() is called on the same thread.
  // Threads that are not I/O threads are always admitted and not counted.
  ShedDecision try_admit(std::chrono::nanoseconds queue_delay,
                         std::chrono::steady_clock::time_point now);
  void finished();

  int per_thread_limit() const { return per_thread_limit_; }
  bool enabled() const { return per_thread_limit_ > 0 || max_queue_delay_.count() > 0; }

 private:
  struct ThreadState {
    int in_flight = 0;  // admitted, not yet finished, on this I/O thread
    QueueDelayWindow window;
  };

  int per_thread_limit_;
  std::chrono::nanoseconds max_queue_delay_;
  core::PerThread<ThreadState> threads_;
};

}  // namespace sre::resilience
