#include "students/student_service.h"

#include "core/log.h"

namespace sre::students {

namespace asio = boost::asio;
using domain::Student;

StudentService::StudentService(store::StudentStore& store, obs::Metrics& metrics,
                               StudentChangeListener* changes)
    : store_(store),
      changes_(changes),
      created_(&prometheus::BuildCounter()
                    .Name("students_created_total")
                    .Help("Students created through the API")
                    .Register(metrics.registry())
                    .Add({})) {}

asio::awaitable<CreateResult> StudentService::create(domain::StudentFields fields) {
  for (int attempt = 1; attempt <= kMaxIdAttempts; ++attempt) {
    std::string student_id = core::generate_student_id();
    std::optional<Student> student = co_await store_.insert(student_id, fields);
    if (student) {
      created_->Increment();
      log::info("student created", {{"student_id", student->student_id}});
      co_return std::move(*student);
    }
    // 32 random bits: a collision is rare but possible; draw a new id and try again.
    log::warn("student_id collision, retrying", {{"student_id", student_id}});
  }
  log::error("no free student_id", {{"attempts", kMaxIdAttempts}});
  co_return NoFreeStudentId{kMaxIdAttempts};
}

asio::awaitable<std::optional<Student>> StudentService::find(std::string student_id) {
  if (!can_exist(student_id)) {
    co_return std::nullopt;
  }
  co_return co_await store_.find(std::move(student_id));
}

asio::awaitable<std::vector<Student>> StudentService::list(domain::Page page) {
  co_return co_await store_.list(page);
}

asio::awaitable<std::optional<Student>> StudentService::update(std::string student_id,
                                                               domain::StudentFields fields) {
  if (!can_exist(student_id)) {
    co_return std::nullopt;
  }
  std::optional<Student> student = co_await store_.update(student_id, std::move(fields));
  if (!student) {
    co_return std::nullopt;
  }
  if (changes_ != nullptr) {
    co_await changes_->student_changed(student_id);
  }
  log::info("student updated", {{"student_id", student_id}});
  co_return student;
}

asio::awaitable<bool> StudentService::remove(std::string student_id) {
  if (!can_exist(student_id)) {
    co_return false;
  }
  // Bound to a named local first: g++ 12 mishandles co_await inside a condition.
  const bool removed = co_await store_.remove(student_id);
  if (!removed) {
    co_return false;
  }
  if (changes_ != nullptr) {
    co_await changes_->student_changed(student_id);
  }
  log::info("student deleted", {{"student_id", student_id}});
  co_return true;
}

}  // namespace sre::students
