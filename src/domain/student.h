// The Student record and its JSON form. Pure data: no I/O, no framework types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sre::domain {

struct Student {
  std::int64_t id = 0;     // storage key, increasing: gives list order
  std::string student_id;  // public id, STU-XXXXXXXX
  std::string first_name;
  std::string last_name;
  int grade = 0;
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
};

// A student read where its fields are kept (a database's result, a Student), without copying
// them: a page of the list is made of these, so its rows are rendered straight from the
// result the database driver holds. Valid while what it points into is.
struct StudentView {
  std::int64_t id = 0;
  std::string_view student_id;
  std::string_view first_name;
  std::string_view last_name;
  int grade = 0;
  std::string_view created_at;
  std::string_view updated_at;
};

StudentView view_of(const Student& student);

// Fields a client may set. Create and replace (PUT) fill all three; a patch only some.
struct StudentFields {
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<int> grade;
};

// {"id","student_id","first_name","last_name","grade","created_at","updated_at"}: the body of
// every answer that carries a student, and the items of a list.
void append_json(std::string& out, const StudentView& student);
void append_json(std::string& out, const Student& student);
std::string to_json_text(const Student& student);

}  // namespace sre::domain
