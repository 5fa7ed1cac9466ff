#include "events/destination.h"

#include <array>
#include <string_view>

namespace sre::events {

namespace {

// A whole batch refused because of what one of its rows holds.
constexpr std::array<std::string_view, 3> kRowFaults{
    "ValidationException",     // DynamoDB: an item is malformed or too large
    "BatchRequestTooLong",     // SQS: the batch is over 256 KiB together
    "InvalidMessageContents",  // SQS: a body holds characters SQS refuses
};

bool listed(std::string_view code, const auto& codes) {
  for (auto listed_code : codes) {
    if (code == listed_code) {
      return true;
    }
  }
  return false;
}

}  // namespace

FailureKind kind_of(const aws::AwsError& error) {
  if (error.retryable) {
    return FailureKind::transient;
  }
  if (listed(error.code, kRowFaults)) {
    return FailureKind::rows_at_fault;
  }
  if (aws::names_missing_resource(error)) {
    return FailureKind::destination_gone;
  }
  // Credentials, permissions, a malformed request of ours: nothing a row can fix; the rows
  // wait (and the backlog alert fires) until someone fixes it.
  return FailureKind::transient;
}

}  // namespace sre::events
