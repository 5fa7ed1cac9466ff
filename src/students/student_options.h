// The student service's settings: whether writes leave events and audit records behind, and
// how long an Idempotency-Key is remembered.
#pragma once

#include <chrono>
#include <vector>

#include "core/config.h"

namespace sre::students {

struct StudentOptions {
  // Off only to measure what the outbox costs: then no event is ever sent and no audit record
  // kept.
  bool events_enabled = true;
  std::chrono::seconds idempotency_ttl = std::chrono::hours(24);
};

const std::vector<core::Setting<StudentOptions>>& settings();

}  // namespace sre::students
