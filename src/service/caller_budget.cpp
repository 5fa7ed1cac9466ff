#include "service/caller_budget.h"

#include "resilience/deadline.h"

namespace sre::service {

std::optional<std::chrono::milliseconds> caller_budget(const http::Request& request) {
  const auto header = request.find(resilience::kRequestTimeoutHeader);
  if (header == request.end()) {
    return std::nullopt;
  }
  return resilience::parse_request_timeout(header->value());
}

}  // namespace sre::service
