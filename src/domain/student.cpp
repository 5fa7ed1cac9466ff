#include "domain/student.h"

#include "core/json_record_writer.h"

namespace sre::domain {

namespace {

// Room for one student: 150-170 bytes with short names.
constexpr std::size_t kStudentJsonBytes = 256;

}  // namespace

StudentView view_of(const Student& student) {
  return {student.id,    student.student_id, student.first_name, student.last_name,
          student.grade, student.created_at, student.updated_at};
}

void append_json(std::string& out, const StudentView& s) {
  // Written many times per page of a list: a fixed shape, names spelled with their punctuation.
  core::JsonRecordWriter record(out, kStudentJsonBytes);
  record.literal(R"({"id":)");
  record.integer(s.id);
  record.literal(R"(,"student_id":)");
  record.string(s.student_id);
  record.literal(R"(,"first_name":)");
  record.string(s.first_name);
  record.literal(R"(,"last_name":)");
  record.string(s.last_name);
  record.literal(R"(,"grade":)");
  record.integer(s.grade);
  record.literal(R"(,"created_at":)");
  record.string(s.created_at);
  record.literal(R"(,"updated_at":)");
  record.string(s.updated_at);
  record.literal("}");
}

void append_json(std::string& out, const Student& student) {
  append_json(out, view_of(student));
}

std::string to_json_text(const Student& student) {
  std::string out;
  out.reserve(kStudentJsonBytes);
  append_json(out, student);
  return out;
}

}  // namespace sre::domain
