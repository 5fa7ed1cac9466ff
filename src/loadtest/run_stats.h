// What a run counted: the latency of every answered request, answers by status code, and
// requests that got no answer, by why. One RunStats per load-generating thread, written by
// that thread only; the progress line and the report read them from another thread (hence
// atomics, bumped without locked instructions as in LatencyHistogram) and merge them.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "loadtest/latency_histogram.h"

namespace sre::loadtest {

// Why a request got no answer.
enum class Failure : std::uint8_t {
  connect,   // the connection could not be opened
  timeout,   // no complete answer within RESPONSE_TIMEOUT_MS
  broken,    // the connection failed or was closed while the request was out
  protocol,  // the answer was not an HTTP/1.1 response this tool can frame
  unsent,    // open loop: due before the end, but the run stopped before it could be sent
};
inline constexpr std::size_t kFailures = 5;
std::string_view name_of(Failure failure);

class RunStats {
 public:
  static constexpr int kStatusCodes = 600;

  void answered(int status, std::uint64_t latency_micros) {
    latency_.record(latency_micros);
    bump(by_status_[static_cast<std::size_t>(status) < by_status_.size() ? status : 0]);
  }
  void failed(Failure failure, std::uint64_t n = 1) {
    bump(failures_[static_cast<std::size_t>(failure)], n);
  }

  // Adds `other` into this one (a snapshot nobody else writes).
  void add(const RunStats& other);

  const LatencyHistogram& latency() const { return latency_; }
  std::uint64_t with_status(int status) const {
    return by_status_[static_cast<std::size_t>(status)].load(std::memory_order_relaxed);
  }
  std::uint64_t failures(Failure failure) const {
    return failures_[static_cast<std::size_t>(failure)].load(std::memory_order_relaxed);
  }
  std::uint64_t answers() const;
  std::uint64_t answers_in(int first_status, int last_status) const;
  std::uint64_t failures() const;
  // Server errors (5xx) and requests with no answer: what availability counts as bad.
  std::uint64_t errors() const { return answers_in(500, 599) + failures(); }

 private:
  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) {
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }

  LatencyHistogram latency_;
  std::array<std::atomic<std::uint64_t>, kStatusCodes> by_status_{};
  std::array<std::atomic<std::uint64_t>, kFailures> failures_{};
};

}  // namespace sre::loadtest
