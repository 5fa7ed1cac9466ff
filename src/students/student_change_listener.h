// Told about every committed student write, so copies of students kept elsewhere (the API's
// response cache) can be dropped before the writer gets its answer.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

namespace sre::students {

class StudentChangeListener {
 public:
  virtual ~StudentChangeListener() = default;

  // After `student_id` was updated or deleted. Must not throw (a failure to drop a copy is the
  // listener's to count and log). Returns whether every copy is gone. (Not awaitable<void>: g++ 12
  // passes a void member coroutine's arguments shifted by one.)
  virtual boost::asio::awaitable<bool> student_changed(const std::string& student_id) = 0;
};

}  // namespace sre::students
