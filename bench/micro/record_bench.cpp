// The JSON a write renders (found with callgrind on POST /api/v1/students on PostgreSQL): the
// student of the response (also every GET that misses the cache, and each item of a list) and
// the event and audit record stored with the change. Ours writes them with core's
// JsonObjectWriter; the baseline builds the same Boost.JSON object and serialises it, as this
// code did before.
#include <benchmark/benchmark.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "allocation_count.h"
#include "domain/student.h"
#include "domain/student_change.h"

namespace {

using sre::domain::Student;
using sre::domain::StudentChange;
using sre::domain::StudentSnapshot;

const Student kStudent{1042,
                       "STU-1A2B3C4D",
                       "Ada",
                       "Lovelace",
                       7,
                       "2026-11-30T08:00:00.000001Z",
                       "2026-11-30T08:00:00.000001Z"};

StudentChange creation() {
  StudentChange change;
  change.kind = sre::domain::ChangeKind::created;
  change.student_id = kStudent.student_id;
  change.after = StudentSnapshot{kStudent.student_id, "Ada", "Lovelace", 7};
  change.event_id = "4f0c2a5e-8b1d-4c3a-9e2f-0123456789ab";
  change.audit_id = "9a1b2c3d-4e5f-4a6b-8c7d-0123456789ab";
  change.occurred_at = "2026-11-30T08:00:00.000001Z";
  change.actor = "anonymous";
  change.request_id = "0af7651916cd43dd8448eb211c80319c";
  change.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  return change;
}

boost::json::object snapshot_object(const StudentSnapshot& s) {
  return {{"student_id", s.student_id},
          {"first_name", s.first_name},
          {"last_name", s.last_name},
          {"grade", s.grade}};
}

// What render_event and render_audit_record wrote before, the Boost.JSON way (a creation).
std::string boost_event(const StudentChange& change) {
  boost::json::object data = snapshot_object(*change.after);
  data["name"] = change.after->first_name + " " + change.after->last_name;
  boost::json::object event{{"event_id", change.event_id},
                            {"event_type", "student_created"},
                            {"data", std::move(data)},
                            {"timestamp", change.occurred_at},
                            {"correlation_id", change.request_id},
                            {"traceparent", change.traceparent}};
  return boost::json::serialize(event);
}

std::string boost_audit_record(const StudentChange& change) {
  boost::json::object record{
      {"id", change.audit_id},
      {"timestamp", change.occurred_at},
      {"action", "create"},
      {"actor", change.actor},
      {"student_id", change.student_id},
      {"details",
       boost::json::object{{"before", nullptr}, {"after", snapshot_object(*change.after)}}},
      {"request_id", change.request_id},
      {"traceparent", change.traceparent}};
  return boost::json::serialize(record);
}

std::string boost_student(const Student& s) {
  return boost::json::serialize(boost::json::object{{"id", s.id},
                                                    {"student_id", s.student_id},
                                                    {"first_name", s.first_name},
                                                    {"last_name", s.last_name},
                                                    {"grade", s.grade},
                                                    {"created_at", s.created_at},
                                                    {"updated_at", s.updated_at}});
}

std::string ours_records(const StudentChange& change) {
  return sre::domain::render_event(change) + sre::domain::render_audit_record(change);
}

std::string boost_records(const StudentChange& change) {
  return boost_event(change) + boost_audit_record(change);
}

template <typename Render, typename Input>
void run(benchmark::State& state, Render render, const Input& input, const std::string& expected) {
  if (render(input) != expected) {
    state.SkipWithError("ours and the Boost.JSON baseline write different bytes");
    return;
  }
  const micro::AllocationCount allocations;
  for (auto _ : state) {
    std::string out = render(input);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  allocations.report(state);
}

void student_ours(benchmark::State& state) {
  run(state, sre::domain::to_json_text, kStudent, boost_student(kStudent));
}
void student_baseline(benchmark::State& state) {
  run(state, boost_student, kStudent, boost_student(kStudent));
}
void change_ours(benchmark::State& state) {
  const StudentChange change = creation();
  run(state, ours_records, change, boost_records(change));
}
void change_baseline(benchmark::State& state) {
  const StudentChange change = creation();
  run(state, boost_records, change, boost_records(change));
}

BENCHMARK(student_ours)->Name("record/student/ours");
BENCHMARK(student_baseline)->Name("record/student/baseline");
BENCHMARK(change_ours)->Name("record/change/ours");
BENCHMARK(change_baseline)->Name("record/change/baseline");

}  // namespace
