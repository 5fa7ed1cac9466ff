// The Prometheus series of one circuit breaker, the same for every breaker of a process (the
// grade service's, the relay's "sqs" and "dynamodb"):
//
//   circuit_breaker_state{name}                      0 closed, 1 open, 2 half_open
//   circuit_breaker_transitions_total{name,from,to}  every possible change, from 0
//
// Each child is created up front, so a transition (from any thread) is one atomic update.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>
#include <string>

#include "resilience/circuit_breaker.h"

namespace sre::resilience {

class BreakerMetrics {
 public:
  BreakerMetrics(prometheus::Registry& registry, const std::string& name);

  // For CircuitBreaker::set_listener.
  void transition(const BreakerTransition& transition);

 private:
  prometheus::Gauge* state_ = nullptr;
  // [from][to]; null where no transition exists.
  std::array<std::array<prometheus::Counter*, 3>, 3> transitions_{};
};

}  // namespace sre::resilience
