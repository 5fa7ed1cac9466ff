#include "worker/event_effects.h"

#include <fmt/format.h>

namespace sre::worker {

std::string welcome_message(const domain::StudentSnapshot& student) {
  return fmt::format("Welcome to grade {}, {} {}!", student.grade, student.first_name,
                     student.last_name);
}

store::EventEffects effects_of(const domain::StudentEvent& event) {
  store::EventEffects effects;
  effects.event_id = event.event_id;
  effects.event_type = std::string(domain::event_type(event.kind));
  switch (event.kind) {
    case domain::ChangeKind::created:
      effects.enrollment.push_back({event.data.grade, +1});
      effects.welcome =
          store::EventEffects::Welcome{event.data.student_id, welcome_message(event.data)};
      break;
    case domain::ChangeKind::updated:
      // parse_event guarantees `previous` on updates.
      if (event.previous && event.previous->grade != event.data.grade) {
        effects.enrollment.push_back({event.previous->grade, -1});
        effects.enrollment.push_back({event.data.grade, +1});
      }
      break;
    case domain::ChangeKind::deleted:
      effects.enrollment.push_back({event.data.grade, -1});
      break;
  }
  return effects;
}

}  // namespace sre::worker
