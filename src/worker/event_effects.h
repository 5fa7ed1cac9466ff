// What the worker does about one student event, as data: the per-grade enrollment changes and
// the welcome notification that store::EventStore::apply_event then writes, together with the
// record that the event was processed. Pure: no I/O, so every rule is unit-tested here.
//
//   student_created   grade +1, one welcome notification for the new student
//   student_updated   grade moved: previous grade -1, new grade +1 (same grade: nothing)
//   student_deleted   grade -1
#pragma once

#include <string>

#include "domain/student_change.h"
#include "store/event_store.h"

namespace sre::worker {

store::EventEffects effects_of(const domain::StudentEvent& event);

// The welcome notification's text for a new student.
std::string welcome_message(const domain::StudentSnapshot& student);

}  // namespace sre::worker
