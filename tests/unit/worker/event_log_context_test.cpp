// The ids an event's log lines carry: the writing request's trace and id, and a span of the
// worker's own; nothing of a trace when the event has no valid traceparent.
#include "worker/event_log_context.h"

#include <gtest/gtest.h>

namespace sre::worker {
namespace {

constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kRequestSpan = "00f067aa0ba902b7";

domain::StudentEvent event_with(std::string traceparent) {
  domain::StudentEvent event;
  event.event_id = "e-1";
  event.correlation_id = "request-7";
  event.traceparent = std::move(traceparent);
  return event;
}

TEST(EventLogContext, CarriesTheWritersTraceAndRequestIdWithASpanOfItsOwn) {
  EventLogContext log;
  log.begin(event_with(std::string("00-") + kTrace + "-" + kRequestSpan + "-01"));
  const auto* context = log.context();
  ASSERT_NE(context->trace_id, nullptr);
  EXPECT_EQ(*context->trace_id, kTrace);
  EXPECT_EQ(*context->request_id, "request-7");
  EXPECT_EQ(log.parent_span_id(), kRequestSpan);
  EXPECT_EQ(context->span_id->size(), 16U);
  EXPECT_NE(*context->span_id, kRequestSpan);
}

TEST(EventLogContext, WithoutAValidTraceparentTheLinesHaveOnlyTheRequestId) {
  EventLogContext log;
  log.begin(event_with(std::string("00-") + kTrace + "-" + kRequestSpan + "-01"));
  for (const char* traceparent : {"", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}) {
    log.begin(event_with(traceparent));
    EXPECT_TRUE(log.context()->trace_id->empty()) << traceparent;
    EXPECT_TRUE(log.context()->span_id->empty()) << traceparent;
    EXPECT_TRUE(log.parent_span_id().empty()) << traceparent;
    EXPECT_EQ(*log.context()->request_id, "request-7");
  }
}

TEST(EventLogContext, IsEmptyBetweenEvents) {
  EventLogContext log;
  log.begin(event_with(std::string("00-") + kTrace + "-" + kRequestSpan + "-01"));
  log.end();
  EXPECT_EQ(log.context()->request_id, nullptr);
  EXPECT_EQ(log.context()->trace_id, nullptr);
  EXPECT_EQ(log.context()->span_id, nullptr);
}

}  // namespace
}  // namespace sre::worker
