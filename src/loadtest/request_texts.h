// The bytes of every request a run can send, built once before it starts: sending one is a
// write of a ready buffer, with nothing formatted or allocated on the request path.
#pragma once

#include <string>
#include <vector>

#include "loadtest/loadtest_options.h"
#include "loadtest/scenario_mix.h"

namespace sre::loadtest {

// The collection the mix works on.
inline constexpr std::string_view kStudents = "/api/v1/students";

// One HTTP/1.1 request as sent: GET when `body` is empty, else POST with a JSON body.
std::string request_text(const Target& target, std::string_view path, std::string_view bearer,
                         std::string_view body = {});

class RequestTexts {
 public:
  // Every request GETs `path`.
  static RequestTexts fixed(const LoadtestOptions& options);
  // The mix over `student_ids` (reads and grades pick one of them in turn).
  static RequestTexts mix(const LoadtestOptions& options, const std::vector<std::string>& ids);

  // The request of `kind` for the `k`-th pick of that connection.
  const std::string& of(RequestKind kind, std::uint64_t k) const;
  bool is_fixed() const { return !fixed_.empty(); }
  const std::string& fixed_request() const { return fixed_; }

 private:
  std::string fixed_;
  std::vector<std::string> reads_;
  std::vector<std::string> grades_;
  std::string list_;
  std::string create_;
};

}  // namespace sre::loadtest
