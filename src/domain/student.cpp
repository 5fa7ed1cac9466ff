#include "domain/student.h"

namespace sre::domain {

boost::json::object to_json(const Student& s) {
  return {
      {"id", s.id},
      {"student_id", s.student_id},
      {"first_name", s.first_name},
      {"last_name", s.last_name},
      {"grade", s.grade},
      {"created_at", s.created_at},
      {"updated_at", s.updated_at},
  };
}

}  // namespace sre::domain
