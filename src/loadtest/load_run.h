// The load itself: THREADS event loops (one per core by default), each driving its share of
// the connections as coroutines and watching their deadlines; the calling thread only
// reports progress. Every thread counts into its own RunStats, so the request path shares
// nothing between threads.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "loadtest/load_connection.h"
#include "loadtest/request_texts.h"
#include "loadtest/run_plan.h"
#include "loadtest/run_stats.h"
#include "loadtest/scenario_mix.h"

namespace sre::loadtest {

struct RunSetup {
  RunPlan plan;
  RequestTexts texts;
  std::optional<ScenarioMix> mix;  // empty: every request is texts.fixed_request()
  std::vector<asio::ip::tcp::endpoint> endpoints;
  Clock::duration response_timeout;
  unsigned threads = 1;
};

class LoadRun {
 public:
  explicit LoadRun(RunSetup setup);
  ~LoadRun();
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  // Runs to the end. `on_progress` is called on this thread every `interval` with the counts
  // so far (a merged snapshot) and the time since the start.
  using Progress = std::function<void(const RunStats& so_far, Clock::duration elapsed)>;
  void run(const Progress& on_progress, Clock::duration interval);

  // After run(): every thread's counts together, and the time from the start to the last
  // answer.
  void total_into(RunStats& total) const;
  Clock::duration elapsed() const { return elapsed_; }

 private:
  struct LoadThread;

  asio::awaitable<void> drive(LoadThread& thread, LoadConnection& connection, unsigned index);
  asio::awaitable<void> watch(LoadThread& thread);
  // `offset` after the start, or the end of time when `offset` is (near) unbounded.
  Clock::time_point at(Clock::duration offset) const;
  const std::string& request_for(PickRandom& random, std::uint64_t k) const;

  RunSetup setup_;
  std::vector<std::unique_ptr<LoadThread>> threads_;
  Clock::time_point start_;
  Clock::duration elapsed_{};
};

}  // namespace sre::loadtest
