// The time a caller is still willing to wait, as it sends it in X-Request-Timeout-Ms
// (resilience/deadline.h): a server that would answer later gives up instead of working for
// nobody.
#pragma once

#include <chrono>
#include <optional>

#include "http/types.h"

namespace sre::service {

// The caller's remaining budget, or nothing when it sent none (or an invalid one).
std::optional<std::chrono::milliseconds> caller_budget(const http::Request& request);

}  // namespace sre::service
