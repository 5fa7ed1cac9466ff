#include "students/student_options.h"

namespace sre::students {

const std::vector<core::Setting<StudentOptions>>& settings() {
  using core::setting;
  static const std::vector<core::Setting<StudentOptions>> rows{
      setting("EVENTS_ENABLED", &StudentOptions::events_enabled, core::boolean(),
              "Write an event and an audit record with every student change, in its "
              "transaction (the outbox); false only to measure what that costs"),
      setting("IDEMPOTENCY_KEY_TTL_SECONDS", &StudentOptions::idempotency_ttl,
              core::duration_in<std::chrono::seconds>(60, 7 * 86400),
              "How long an Idempotency-Key of POST /api/v1/students is remembered"),
  };
  return rows;
}

}  // namespace sre::students
