#include "domain/student_change.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace sre::domain {
namespace {

namespace json = boost::json;

StudentChange creation() {
  StudentChange change;
  change.kind = ChangeKind::created;
  change.student_id = "STU-1A2B3C4D";
  change.after = StudentSnapshot{"STU-1A2B3C4D", "Ada", "Lovelace", 7};
  change.event_id = "4f0c2a5e-8b1d-4c3a-9e2f-0123456789ab";
  change.audit_id = "9a1b2c3d-4e5f-4a6b-8c7d-0123456789ab";
  change.occurred_at = "2026-11-30T08:00:00.000001Z";
  change.actor = "anonymous";
  change.request_id = "req-1";
  return change;
}

StudentChange update() {
  StudentChange change = creation();
  change.kind = ChangeKind::updated;
  change.before = change.after;
  change.after->grade = 8;
  change.after->first_name = "Augusta";
  return change;
}

TEST(StudentChange, CreatedEventHasTheSeedsFieldsExactly) {
  json::value event = json::parse(render_event(creation()));
  EXPECT_EQ(event, json::parse(R"({
    "event_id": "4f0c2a5e-8b1d-4c3a-9e2f-0123456789ab",
    "event_type": "student_created",
    "data": {"student_id": "STU-1A2B3C4D", "name": "Ada Lovelace", "first_name": "Ada",
             "last_name": "Lovelace", "grade": 7},
    "timestamp": "2026-11-30T08:00:00.000001Z",
    "correlation_id": "req-1"})"));
}

// The outbox stores these bytes and consumers compare them with what they received: the member
// order and the escaping are part of the contract, not only the parsed value.
TEST(StudentChange, RenderedBytesAreStable) {
  StudentChange change = update();
  change.after->last_name = "O\"Brien";
  change.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  EXPECT_EQ(render_event(change),
            R"({"event_id":"4f0c2a5e-8b1d-4c3a-9e2f-0123456789ab","event_type":"student_updated",)"
            R"("data":{"student_id":"STU-1A2B3C4D","first_name":"Augusta","last_name":"O\"Brien",)"
            R"("grade":8,"name":"Augusta O\"Brien","previous":{"student_id":"STU-1A2B3C4D",)"
            R"("first_name":"Ada","last_name":"Lovelace","grade":7}},)"
            R"("timestamp":"2026-11-30T08:00:00.000001Z","correlation_id":"req-1",)"
            R"("traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})");
  EXPECT_EQ(
      render_audit_record(creation()),
      R"({"id":"9a1b2c3d-4e5f-4a6b-8c7d-0123456789ab","timestamp":"2026-11-30T08:00:00.000001Z",)"
      R"("action":"create","actor":"anonymous","student_id":"STU-1A2B3C4D",)"
      R"("details":{"before":null,"after":{"student_id":"STU-1A2B3C4D","first_name":"Ada",)"
      R"("last_name":"Lovelace","grade":7}},"request_id":"req-1"})");
}

TEST(StudentChange, UpdatedEventCarriesThePreviousValues) {
  json::value event = json::parse(render_event(update()));
  EXPECT_EQ(event.at("event_type"), "student_updated");
  EXPECT_EQ(event.at("data").at("grade"), 8);
  EXPECT_EQ(event.at("data").at("name"), "Augusta Lovelace");
  EXPECT_EQ(event.at("data").at("previous").at("grade"), 7);
  EXPECT_EQ(event.at("data").at("previous").at("first_name"), "Ada");
}

TEST(StudentChange, DeletedEventReportsTheDeletedValues) {
  StudentChange change = creation();
  change.kind = ChangeKind::deleted;
  change.before = change.after;
  change.after.reset();
  json::value event = json::parse(render_event(change));
  EXPECT_EQ(event.at("event_type"), "student_deleted");
  EXPECT_EQ(event.at("data").at("grade"), 7);
  EXPECT_EQ(event.at("data").as_object().if_contains("previous"), nullptr);
}

TEST(StudentChange, AuditRecordHasBeforeAndAfter) {
  json::value record = json::parse(render_audit_record(update()));
  EXPECT_EQ(record, json::parse(R"({
    "id": "9a1b2c3d-4e5f-4a6b-8c7d-0123456789ab",
    "timestamp": "2026-11-30T08:00:00.000001Z",
    "action": "update",
    "actor": "anonymous",
    "student_id": "STU-1A2B3C4D",
    "details": {
      "before": {"student_id": "STU-1A2B3C4D", "first_name": "Ada", "last_name": "Lovelace",
                 "grade": 7},
      "after": {"student_id": "STU-1A2B3C4D", "first_name": "Augusta", "last_name": "Lovelace",
                "grade": 8}},
    "request_id": "req-1"})"));
  json::value created = json::parse(render_audit_record(creation()));
  EXPECT_TRUE(created.at("details").at("before").is_null());
  EXPECT_EQ(created.at("action"), "create");
}

TEST(StudentChange, ParseReadsBackWhatRenderWrote) {
  for (const StudentChange& change : {creation(), update()}) {
    auto event = parse_event(render_event(change));
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->event_id, change.event_id);
    EXPECT_EQ(event->kind, change.kind);
    EXPECT_EQ(event->data.grade, change.after->grade);
    EXPECT_EQ(event->data.first_name, change.after->first_name);
    EXPECT_EQ(event->timestamp, change.occurred_at);
    EXPECT_EQ(event->correlation_id, change.request_id);
    EXPECT_EQ(event->previous.has_value(), change.kind == ChangeKind::updated);
  }
  EXPECT_EQ(parse_event(render_event(update()))->previous->grade, 7);
}

TEST(StudentChange, TheWritersTraceTravelsInTheEventAndTheAuditRecord) {
  StudentChange change = creation();
  change.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const auto event = json::parse(render_event(change)).as_object();
  EXPECT_EQ(event.at("traceparent").as_string(), change.traceparent);
  const auto record = json::parse(render_audit_record(change)).as_object();
  EXPECT_EQ(record.at("traceparent").as_string(), change.traceparent);
  EXPECT_EQ(parse_event(render_event(change))->traceparent, change.traceparent);
  // Without a trace (a change no request made), neither record has the field.
  EXPECT_FALSE(json::parse(render_event(creation())).as_object().contains("traceparent"));
  EXPECT_EQ(parse_event(render_event(creation()))->traceparent, "");
}

TEST(StudentChange, MalformedEventsAreRefusedNotGuessed) {
  const std::string good = render_event(update());
  EXPECT_TRUE(parse_event(good).has_value());
  for (
      std::string_view body : {
          R"(not json)",
          R"([1,2])",
          R"({})",
          R"({"event_id":"e","event_type":"student_exploded","data":{"student_id":"S","first_name":"a","last_name":"b","grade":1},"timestamp":"t","correlation_id":"c"})",
          R"({"event_id":"","event_type":"student_created","data":{"student_id":"S","first_name":"a","last_name":"b","grade":1},"timestamp":"t","correlation_id":"c"})",
          R"({"event_id":"e","event_type":"student_created","data":{"student_id":"S","first_name":"a","last_name":"b","grade":"1"},"timestamp":"t","correlation_id":"c"})",
          R"({"event_id":"e","event_type":"student_created","data":{"student_id":"S","first_name":"a","grade":1},"timestamp":"t","correlation_id":"c"})",
          R"({"event_id":"e","event_type":"student_updated","data":{"student_id":"S","first_name":"a","last_name":"b","grade":1},"timestamp":"t","correlation_id":"c"})",
          R"({"event_id":7,"event_type":"student_created","data":{"student_id":"S","first_name":"a","last_name":"b","grade":1},"timestamp":"t","correlation_id":"c"})",
          R"({"event_id":"e","event_type":"student_created","data":{"student_id":"S","first_name":"a","last_name":"b","grade":1},"timestamp":"t","correlation_id":"c","traceparent":1})",
      }) {
    EXPECT_FALSE(parse_event(body).has_value()) << body;
  }
}

}  // namespace
}  // namespace sre::domain
