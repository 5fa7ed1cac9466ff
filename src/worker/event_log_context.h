// The log context of the event the worker is applying, so that every line written meanwhile
// (the worker's own, the store's) can be followed back to the write that caused it:
//
//   trace_id    the writing request's trace, from the event's `traceparent` (the relay also
//               sends it as the SQS message attribute of that name; the body is what both
//               sources deliver, so it is read there)
//   span_id     a new span: the worker's applying of the event, a child of the request's span
//   request_id  the writing request's X-Request-ID (the event's correlation id)
//
// An event without a (valid) traceparent has no trace_id or span_id in its lines. The
// consumer owns one EventLogContext and runs on a log::LogContextExecutor pointing at
// context(), so the ids follow it across every await; between events the context is empty.
#pragma once

#include <string>

#include "core/log_context.h"
#include "domain/student_change.h"

namespace sre::worker {

class EventLogContext {
 public:
  EventLogContext() = default;
  EventLogContext(const EventLogContext&) = delete;
  EventLogContext& operator=(const EventLogContext&) = delete;

  // Until end(): the ids of `event`.
  void begin(const domain::StudentEvent& event);
  void end();

  const log::RequestLogContext* context() const { return &context_; }
  // The writing request's span (the event's parent), empty without a trace.
  const std::string& parent_span_id() const { return parent_span_id_; }

 private:
  std::string request_id_;
  std::string trace_id_;
  std::string span_id_;
  std::string parent_span_id_;
  log::RequestLogContext context_;
};

}  // namespace sre::worker
