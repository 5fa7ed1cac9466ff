// The students use case, between the HTTP handlers and the store: what creating, reading,
// listing, changing and deleting a student means, independent of HTTP.
//
// It owns the public ids (drawn at random, redrawn when the store reports one taken), the
// notification of writes to whoever keeps copies (StudentChangeListener), the student
// metrics (students_created_total) and the log lines of student operations. Inputs arrive
// validated (domain::validate_student, domain::validate_page); results are domain values.
// `request_id` names the request in log lines; it must outlive the call.
#pragma once

#include <prometheus/counter.h>

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/ids.h"
#include "domain/student.h"
#include "domain/validation.h"
#include "obs/metrics.h"
#include "store/student_store.h"
#include "students/student_change_listener.h"

namespace sre::students {

// Every id drawn for a new student was taken: the id space is crowded (or the store keeps
// reporting a conflict). Nothing was written.
struct NoFreeStudentId {
  int attempts = 0;
};

using CreateResult = std::variant<domain::Student, NoFreeStudentId>;

class StudentService {
 public:
  // How many ids create() draws before it gives up. With 32 random bits a second draw is
  // already rare; five taken in a row means something else is wrong.
  static constexpr int kMaxIdAttempts = 5;

  // Whether `student_id` has the shape of the ids create() draws: others are never found.
  static bool can_exist(std::string_view student_id) {
    return core::is_generated_student_id(student_id);
  }

  // `changes`: told about updates and deletes; null when nobody keeps copies.
  StudentService(store::StudentStore& store, obs::Metrics& metrics,
                 StudentChangeListener* changes = nullptr);

  // `fields` has all three fields set (domain::StudentInput::full).
  boost::asio::awaitable<CreateResult> create(domain::StudentFields fields);
  // nullopt when there is no such student (an id that cannot exist costs no store read).
  boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id);
  boost::asio::awaitable<std::vector<domain::Student>> list(domain::Page page);
  // Changes the fields that are set; nullopt when there is no such student.
  boost::asio::awaitable<std::optional<domain::Student>> update(std::string student_id,
                                                                domain::StudentFields fields);
  // False when there was no such student.
  boost::asio::awaitable<bool> remove(std::string student_id);

 private:
  store::StudentStore& store_;
  StudentChangeListener* changes_;
  prometheus::Counter* created_;
};

}  // namespace sre::students
