// Reading a successful AWS answer into a value: a parse failure (std::invalid_argument from
// the protocol layer) becomes a non-retryable "InvalidAnswer" error, so a protocol mismatch is
// seen in metrics and logs instead of crashing the caller.
#pragma once

#include <stdexcept>
#include <string>

#include "aws/aws_call.h"

namespace sre::aws {

template <typename Parse>
auto read_answer(Result<std::string>&& answer, Parse parse)
    -> Result<decltype(parse(std::string_view{}))> {
  using Value = decltype(parse(std::string_view{}));
  if (!answer.ok()) {
    return Result<Value>::failure(std::move(answer.error));
  }
  try {
    return Result<Value>{parse(*answer.value), {}};
  } catch (const std::invalid_argument& e) {
    return Result<Value>::failure(AwsError{200, "InvalidAnswer", e.what(), false});
  }
}

inline Result<Done> done(Result<std::string>&& answer) {
  return read_answer(std::move(answer), [](std::string_view) { return Done{}; });
}

}  // namespace sre::aws
