#include "domain/student.h"

#include "core/json_object_writer.h"

namespace sre::domain {

void append_json(std::string& out, const Student& s) {
  core::JsonObjectWriter object(out);
  object.integer("id", s.id);
  object.string("student_id", s.student_id);
  object.string("first_name", s.first_name);
  object.string("last_name", s.last_name);
  object.integer("grade", s.grade);
  object.string("created_at", s.created_at);
  object.string("updated_at", s.updated_at);
  object.close();
}

std::string to_json_text(const Student& student) {
  std::string out;
  out.reserve(192);  // a student with short names is 150-170 bytes
  append_json(out, student);
  return out;
}

}  // namespace sre::domain
