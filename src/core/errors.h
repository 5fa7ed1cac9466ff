// The two kinds of failure every layer reports the same way:
//   FieldError             the client sent something invalid (answered 422 by http::local_reply)
//   DependencyUnavailable  a dependency is down or overloaded, not the client's fault and not
//                          a bug (answered 503 + Retry-After, so callers back off and retry)
#pragma once

#include <boost/json/array.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
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

// `what()` is for logs (it may name hosts and errors); `detail()` is what a client is told.
class DependencyUnavailable : public std::runtime_error {
 public:
  static constexpr std::string_view kDefaultDetail = "Service temporarily unavailable";

  DependencyUnavailable(std::string dependency, const std::string& message,
                        std::chrono::seconds retry_after = std::chrono::seconds(1),
                        std::string detail = std::string(kDefaultDetail))
      : std::runtime_error(message),
        dependency_(std::move(dependency)),
        retry_after_(retry_after),
        detail_(std::move(detail)) {}
  const std::string& dependency() const { return dependency_; }
  std::chrono::seconds retry_after() const { return retry_after_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string dependency_;
  std::chrono::seconds retry_after_;
  std::string detail_;
};

}  // namespace sre::core
