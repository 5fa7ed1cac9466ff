// The settings of `sre-playground loadtest`: where to send load, in which mode (closed or
// open loop), which mix of requests, for how long, and the objectives its verdict uses. Flags
// first (--rate 200), environment and `.env` as for every program.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "loadtest/scenario_mix.h"

namespace sre::loadtest {

// Where the server listens: http://host[:port], no path.
struct Target {
  std::string host = "127.0.0.1";
  std::string port = "8000";
};
core::Parsed<Target> parse_target_url(std::string_view text);

struct LoadtestOptions {
  Target target;
  // Every request GETs this path instead of the mix (nginx's "/", the grade service's
  // "/grades/STU-1"); empty: the mix.
  std::string path;
  std::string mode = "closed";
  unsigned connections = 10;
  double rate = 0;  // requests per second, open loop only
  std::chrono::seconds duration{10};
  std::uint64_t requests = 0;  // 0: no count limit
  unsigned threads = 0;        // 0: one per core
  MixWeights weights{.read = 70, .list = 10, .create = 10, .grades = 10};
  std::chrono::milliseconds response_timeout{5000};
  std::string slo_file = "monitoring/slo.yaml";
  std::string bearer_token;
};

const std::vector<core::Setting<LoadtestOptions>>& settings();

}  // namespace sre::loadtest
