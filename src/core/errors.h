// The two kinds of failure every layer reports the same way:
//   FieldError             the client sent something invalid (answered 422 by http::local_reply)
//   DependencyUnavailable  a dependency is down or overloaded, not the client's fault and not
//                          a bug (answered 503 + Retry-After, so callers back off and retry)
#pragma once

#include <boost/json/array.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace sre::core {

// One invalid input, as pydantic reports it: where (["body","grade"], ["query","limit"]),
// a readable message and a machine-readable type ("missing", "int_parsing", ...).
struct FieldError {
  boost::json::array loc;
  std::string msg;
  std::string type;
};
using FieldErrors = std::vector<FieldError>;

class DependencyUnavailable : public std::runtime_error {
 public:
  DependencyUnavailable(std::string dependency, const std::string& message,
                        std::chrono::seconds retry_after = std::chrono::seconds(1))
      : std::runtime_error(message),
        dependency_(std::move(dependency)),
        retry_after_(retry_after) {}
  const std::string& dependency() const { return dependency_; }
  std::chrono::seconds retry_after() const { return retry_after_; }

 private:
  std::string dependency_;
  std::chrono::seconds retry_after_;
};

}  // namespace sre::core
