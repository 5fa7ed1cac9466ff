#include "resilience/breaker_metrics.h"

namespace sre::resilience {

BreakerMetrics::BreakerMetrics(prometheus::Registry& registry, const std::string& name) {
  state_ = &prometheus::BuildGauge()
                .Name("circuit_breaker_state")
                .Help("Circuit breaker state: 0 closed, 1 open, 2 half_open")
                .Register(registry)
                .Add({{"name", name}});
  auto& transitions = prometheus::BuildCounter()
                          .Name("circuit_breaker_transitions_total")
                          .Help("Circuit breaker state changes")
                          .Register(registry);
  for (auto from : {BreakerState::closed, BreakerState::open, BreakerState::half_open}) {
    for (auto to : {BreakerState::closed, BreakerState::open, BreakerState::half_open}) {
      // CLOSED never goes straight to HALF_OPEN: no series for it.
      if (from != to && !(from == BreakerState::closed && to == BreakerState::half_open)) {
        transitions_.at(static_cast<std::size_t>(from)).at(static_cast<std::size_t>(to)) =
            &transitions.Add({{"name", name},
                              {"from", std::string(to_string(from))},
                              {"to", std::string(to_string(to))}});
      }
    }
  }
}

void BreakerMetrics::transition(const BreakerTransition& transition) {
  state_->Set(static_cast<double>(transition.to));
  auto* counter = transitions_.at(static_cast<std::size_t>(transition.from))
                      .at(static_cast<std::size_t>(transition.to));
  if (counter != nullptr) {
    counter->Increment();
  }
}

}  // namespace sre::resilience
