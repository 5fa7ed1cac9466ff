// Where the process is in its life, as readiness probes see it.
//   starting -> ready -> draining
// Only `ready` receives traffic; `draining` starts at SIGTERM and never goes back.
#pragma once

#include <atomic>
#include <string_view>

namespace sre::api {

enum class Phase { starting, ready, draining };

class Lifecycle {
 public:
  Phase phase() const { return phase_.load(std::memory_order_acquire); }
  void mark_ready() {
    Phase expected = Phase::starting;
    phase_.compare_exchange_strong(expected, Phase::ready);
  }
  void begin_draining() { phase_.store(Phase::draining, std::memory_order_release); }

 private:
  std::atomic<Phase> phase_{Phase::starting};
};

inline std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::starting:
      return "starting";
    case Phase::ready:
      return "ready";
    case Phase::draining:
      return "draining";
  }
  return "unknown";
}

}  // namespace sre::api
