// Which requests a run sends and, in an open loop, when each is due. Pure arithmetic, shared
// by every connection without coordination.
//
// Requests are numbered across the whole run: connection c of C sends numbers c, c + C,
// c + 2C, ... so the connections interleave evenly and each knows its own share from its
// index alone (no shared counter on the request path).
//
// Closed loop: each connection sends its next request when the previous answer arrives.
// Open loop (a constant arrival rate R): request n is due at n / R seconds after the start,
// whatever happened before. A connection still waiting for an earlier answer sends a due
// request late, and its latency is still counted from when it was due, as wrk2 does. Timing
// from the actual send would hide a stall: while the server holds one request, the ones that
// should have gone out meanwhile would not exist, and the percentiles would look healthy
// ("coordinated omission").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace sre::loadtest {

class RunPlan {
 public:
  // `rate` requests per second for an open loop, nullopt for a closed loop. `max_requests` 0:
  // no count limit (the duration ends the run).
  RunPlan(unsigned connections, std::optional<double> rate, std::chrono::nanoseconds duration,
          std::uint64_t max_requests);

  // The run-wide number of connection `connection`'s `k`-th request.
  std::uint64_t number(unsigned connection, std::uint64_t k) const {
    return connection + k * connections_;
  }
  // Open loop: when request `n` is due, from the run's start. Closed loop: 0 (always due).
  std::chrono::nanoseconds due(std::uint64_t n) const;
  // Whether request `n` belongs to the run: under the count limit and, in an open loop, due
  // before the end. (A closed loop also checks the clock: see ends_at.)
  bool includes(std::uint64_t n) const;

  bool open_loop() const { return rate_.has_value(); }
  std::chrono::nanoseconds duration() const { return duration_; }
  unsigned connections() const { return connections_; }

 private:
  unsigned connections_;
  std::optional<double> rate_;
  std::chrono::nanoseconds duration_;
  std::uint64_t max_requests_;
};

}  // namespace sre::loadtest
