#include "worker/event_log_context.h"

#include "core/ids.h"
#include "core/trace_context.h"

namespace sre::worker {

void EventLogContext::begin(const domain::StudentEvent& event) {
  request_id_ = event.correlation_id;
  trace_id_.clear();
  span_id_.clear();
  parent_span_id_.clear();
  if (auto parent = core::parse_traceparent(event.traceparent)) {
    trace_id_ = std::move(parent->trace_id);
    parent_span_id_ = std::move(parent->parent_id);
    span_id_ = core::generate_span_id();
  }
  context_ = {&request_id_, &trace_id_, &span_id_};
}

void EventLogContext::end() {
  context_ = {};
}

}  // namespace sre::worker
