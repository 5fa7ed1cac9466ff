// Failures that are not the client's fault and not a bug: a dependency is down or overloaded.
// The HTTP layer answers them with 503 and Retry-After, so callers back off and retry.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

namespace sre::core {

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
