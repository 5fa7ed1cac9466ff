#include "domain/student_change.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/json_object_writer.h"

namespace sre::domain {

namespace json = boost::json;

namespace {

// {"student_id","first_name","last_name","grade"}, then the caller's members; not closed.
core::JsonObjectWriter open_snapshot(core::JsonObjectWriter& parent, std::string_view key,
                                     const StudentSnapshot& s) {
  core::JsonObjectWriter snapshot = parent.object(key);
  snapshot.string("student_id", s.student_id);
  snapshot.string("first_name", s.first_name);
  snapshot.string("last_name", s.last_name);
  snapshot.integer("grade", s.grade);
  return snapshot;
}

void snapshot_or_null(core::JsonObjectWriter& parent, std::string_view key,
                      const std::optional<StudentSnapshot>& s) {
  if (s) {
    open_snapshot(parent, key, *s).close();
  } else {
    parent.null(key);
  }
}

std::optional<std::string> string_field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return std::nullopt;
  }
  return std::string(value->get_string());
}

std::optional<StudentSnapshot> read_snapshot(const json::value* value) {
  if (value == nullptr || !value->is_object()) {
    return std::nullopt;
  }
  const json::object& object = value->get_object();
  auto student_id = string_field(object, "student_id");
  auto first_name = string_field(object, "first_name");
  auto last_name = string_field(object, "last_name");
  const json::value* grade = object.if_contains("grade");
  if (!student_id || !first_name || !last_name || grade == nullptr || !grade->is_int64()) {
    return std::nullopt;
  }
  return StudentSnapshot{std::move(*student_id), std::move(*first_name), std::move(*last_name),
                         static_cast<int>(grade->get_int64())};
}

std::optional<ChangeKind> kind_of_event_type(std::string_view type) {
  for (ChangeKind kind : {ChangeKind::created, ChangeKind::updated, ChangeKind::deleted}) {
    if (event_type(kind) == type) {
      return kind;
    }
  }
  return std::nullopt;
}

// The side of a change an event reports: after, or for a deletion the deleted values.
const StudentSnapshot& reported_values(const StudentChange& change) {
  return change.kind == ChangeKind::deleted ? *change.before : *change.after;
}

}  // namespace

std::string_view event_type(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::created:
      return "student_created";
    case ChangeKind::updated:
      return "student_updated";
    case ChangeKind::deleted:
      return "student_deleted";
  }
  return "student_changed";
}

std::string_view audit_action(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::created:
      return "create";
    case ChangeKind::updated:
      return "update";
    case ChangeKind::deleted:
      return "delete";
  }
  return "change";
}

std::string render_event(const StudentChange& change) {
  const StudentSnapshot& values = reported_values(change);
  std::string out;
  out.reserve(512);  // an update with a traceparent is about 470 bytes
  core::JsonObjectWriter event(out);
  event.string("event_id", change.event_id);
  event.string("event_type", event_type(change.kind));
  // The seed's event data: the snapshot, "name" ("First Last"), and for an update "previous".
  core::JsonObjectWriter data = open_snapshot(event, "data", values);
  data.string("name", values.first_name + " " + values.last_name);
  if (change.kind == ChangeKind::updated) {
    open_snapshot(data, "previous", *change.before).close();
  }
  data.close();
  event.string("timestamp", change.occurred_at);
  event.string("correlation_id", change.request_id);
  if (!change.traceparent.empty()) {
    event.string("traceparent", change.traceparent);
  }
  event.close();
  return out;
}

std::string render_audit_record(const StudentChange& change) {
  std::string out;
  out.reserve(512);  // an update with a traceparent is about 470 bytes
  core::JsonObjectWriter record(out);
  record.string("id", change.audit_id);
  record.string("timestamp", change.occurred_at);
  record.string("action", audit_action(change.kind));
  record.string("actor", change.actor);
  record.string("student_id", change.student_id);
  core::JsonObjectWriter details = record.object("details");
  snapshot_or_null(details, "before", change.before);
  snapshot_or_null(details, "after", change.after);
  details.close();
  record.string("request_id", change.request_id);
  if (!change.traceparent.empty()) {
    record.string("traceparent", change.traceparent);
  }
  record.close();
  return out;
}

std::optional<StudentEvent> parse_event(std::string_view body) {
  boost::system::error_code error;
  json::value root = json::parse(body, error);
  if (error || !root.is_object()) {
    return std::nullopt;
  }
  const json::object& object = root.get_object();
  auto event_id = string_field(object, "event_id");
  auto type = string_field(object, "event_type");
  auto timestamp = string_field(object, "timestamp");
  auto correlation_id = string_field(object, "correlation_id");
  if (!event_id || event_id->empty() || !type || !timestamp || !correlation_id) {
    return std::nullopt;
  }
  auto kind = kind_of_event_type(*type);
  const json::value* data_value = object.if_contains("data");
  auto data = read_snapshot(data_value);
  if (!kind || !data) {
    return std::nullopt;
  }
  // `previous` and `traceparent` are filled in below when the body has them.
  StudentEvent event{.event_id = std::move(*event_id),
                     .kind = *kind,
                     .data = std::move(*data),
                     .previous = std::nullopt,
                     .timestamp = std::move(*timestamp),
                     .correlation_id = std::move(*correlation_id),
                     .traceparent = {}};
  if (*kind == ChangeKind::updated) {
    event.previous = read_snapshot(data_value->get_object().if_contains("previous"));
    if (!event.previous) {
      return std::nullopt;
    }
  }
  if (object.contains("traceparent")) {
    auto traceparent = string_field(object, "traceparent");
    if (!traceparent) {
      return std::nullopt;
    }
    event.traceparent = std::move(*traceparent);
  }
  return event;
}

}  // namespace sre::domain
