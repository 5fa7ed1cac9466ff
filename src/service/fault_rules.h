// The one parser of fault-injection fields, shared by the API's chaos rules
// (PUT /api/v1/admin/chaos, service/chaos.h) and the grade service's faults
// (PUT /admin/faults), so the same field is validated the same way on both endpoints:
//
//   route               a route template (a string; the caller checks it names a route)
//   latency_ms          integer milliseconds added before answering, 0..max_latency_ms
//   latency_jitter_ms   integer milliseconds of random extra latency, 0..max_latency_ms
//   error_rate          fraction of requests answered with an error, a number in 0..1
//   error_status        the status of those errors, an integer in 500..599
//   duration_seconds    how long the rule lasts, an integer in 1..86400
//   outage              true: accept requests and never answer
//
// Each endpoint names the fields it accepts; any other field is refused.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sre::service {

// The fields present in a body; absent ones stay empty.
struct FaultFields {
  std::optional<std::string> route;
  std::optional<std::uint32_t> latency_ms;
  std::optional<std::uint32_t> latency_jitter_ms;
  std::optional<double> error_rate;
  std::optional<int> error_status;
  std::optional<std::chrono::seconds> duration;
  std::optional<bool> outage;
};

// What an endpoint accepts.
struct FaultSchema {
  std::vector<std::string_view> fields;  // in the order an "unknown field" error lists them
  std::int64_t max_latency_ms = 0;
};

// The first invalid field and why.
struct FaultFieldError {
  std::string field;
  std::string msg;
};

// Fills `out` from `body`, or returns the first field at fault (and `out` is partly filled).
std::optional<FaultFieldError> parse_fault_fields(const boost::json::object& body,
                                                  const FaultSchema& schema, FaultFields& out);

// Error rates live in atomics as parts per million: exact enough, and lock-free to read.
std::uint32_t rate_to_ppm(double rate);
double ppm_to_rate(std::uint32_t ppm);
// Whether this request gets a fault that strikes `rate_ppm` of the requests.
bool fault_strikes(std::uint32_t rate_ppm);
// A random extra latency in 0..max_ms.
std::chrono::milliseconds random_jitter(std::uint32_t max_ms);

}  // namespace sre::service
