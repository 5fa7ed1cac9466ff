#include "loadtest/run_stats.h"

namespace sre::loadtest {

std::string_view name_of(Failure failure) {
  switch (failure) {
    case Failure::connect:
      return "connect";
    case Failure::timeout:
      return "timeout";
    case Failure::broken:
      return "broken";
    case Failure::protocol:
      return "protocol";
    case Failure::unsent:
      return "unsent";
  }
  return "?";
}

void RunStats::add(const RunStats& other) {
  latency_.add(other.latency_);
  for (std::size_t i = 0; i < by_status_.size(); ++i) {
    bump(by_status_[i], other.by_status_[i].load(std::memory_order_relaxed));
  }
  for (std::size_t i = 0; i < failures_.size(); ++i) {
    bump(failures_[i], other.failures_[i].load(std::memory_order_relaxed));
  }
}

std::uint64_t RunStats::answers() const {
  return answers_in(0, kStatusCodes - 1);
}

std::uint64_t RunStats::answers_in(int first_status, int last_status) const {
  std::uint64_t n = 0;
  for (int status = first_status; status <= last_status; ++status) {
    n += with_status(status);
  }
  return n;
}

std::uint64_t RunStats::failures() const {
  std::uint64_t n = 0;
  for (const auto& count : failures_) {
    n += count.load(std::memory_order_relaxed);
  }
  return n;
}

}  // namespace sre::loadtest
