#include "loadtest/loadtest.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "loadtest/load_run.h"
#include "loadtest/report.h"
#include "loadtest/student_ids.h"
#include "slo/slo_spec.h"

namespace sre::loadtest {

namespace {

// A terminal gets one line rewritten in place; a log or a pipe a plain line now and then.
constexpr auto kTerminalInterval = std::chrono::milliseconds(500);
constexpr auto kPlainInterval = std::chrono::seconds(5);

int refuse(const std::string& reason) {
  std::fprintf(stderr, "sre-playground loadtest: %s\n", reason.c_str());
  return 2;
}

std::variant<Objectives, std::string> read_objectives(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "cannot read SLO_FILE " + path + " (run from the repository root, or set SLO_FILE)";
  }
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = slo::parse_slo_spec(text.str());
  if (!parsed.spec) {
    return path + ": " + parsed.error;
  }
  auto objectives = objectives_from(*parsed.spec);
  if (auto* error = std::get_if<std::string>(&objectives)) {
    return path + ": " + *error;
  }
  return objectives;
}

std::variant<std::vector<asio::ip::tcp::endpoint>, std::string> resolve(const Target& target) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(target.host, target.port, ec);
  if (ec || results.empty()) {
    return "cannot resolve " + target.host + ":" + target.port + ": " + ec.message();
  }
  std::vector<asio::ip::tcp::endpoint> endpoints;
  for (const auto& entry : results) {
    endpoints.push_back(entry.endpoint());
  }
  return endpoints;
}

}  // namespace

int run_loadtest(const LoadtestOptions& options, bool json) {
  const bool open_loop = options.mode == "open";
  if (open_loop != (options.rate > 0)) {
    return refuse(open_loop ? "MODE=open needs a RATE (requests per second)"
                            : "RATE is the open loop's: set MODE=open too");
  }
  if (options.duration.count() == 0 && options.requests == 0) {
    return refuse("DURATION_SECONDS=0 needs a REQUESTS limit");
  }
  auto mix = ScenarioMix::from(options.weights);
  if (options.path.empty() && !mix) {
    return refuse("every weight of the mix is 0 (or set TARGET_PATH)");
  }
  if (!options.path.empty() && options.path.front() != '/') {
    return refuse("TARGET_PATH must start with /");
  }
  Objectives objectives;
  if (!options.slo_file.empty()) {
    auto read = read_objectives(options.slo_file);
    if (auto* error = std::get_if<std::string>(&read)) {
      return refuse(*error);
    }
    objectives = std::get<Objectives>(read);
  }
  auto resolved = resolve(options.target);
  if (auto* error = std::get_if<std::string>(&resolved)) {
    return refuse(*error);
  }
  auto endpoints = std::get<std::vector<asio::ip::tcp::endpoint>>(std::move(resolved));

  RunDescription description{
      "http://" + options.target.host + ":" + options.target.port,
      options.path.empty() ? mix->describe() : "GET " + options.path,
      options.mode,
      options.connections,
      std::max(1u,
               std::min(options.threads != 0 ? options.threads
                                             : std::max(1u, std::thread::hardware_concurrency()),
                        options.connections)),
      open_loop ? std::optional<double>(options.rate) : std::nullopt};

  RequestTexts texts;
  if (options.path.empty()) {
    std::vector<std::string> ids;
    if (mix->uses(RequestKind::read) || mix->uses(RequestKind::grades)) {
      auto found = student_ids(options, endpoints);
      if (auto* error = std::get_if<std::string>(&found)) {
        return refuse("set-up: " + *error);
      }
      ids = std::get<std::vector<std::string>>(std::move(found));
    }
    texts = RequestTexts::mix(options, ids);
  } else {
    texts = RequestTexts::fixed(options);
    mix.reset();
  }

  const std::chrono::nanoseconds duration = options.duration.count() == 0
                                                ? std::chrono::nanoseconds::max()
                                                : std::chrono::nanoseconds(options.duration);
  LoadRun run(RunSetup{
      RunPlan(options.connections, open_loop ? std::optional(options.rate) : std::nullopt, duration,
              options.requests),
      std::move(texts), mix, std::move(endpoints), options.response_timeout, description.threads});

  // Progress goes to stdout, or to stderr when stdout carries the JSON report.
  FILE* progress = json ? stderr : stdout;
  const bool terminal = ::isatty(::fileno(progress)) != 0;
  const Clock::duration interval =
      terminal ? Clock::duration(kTerminalInterval) : Clock::duration(kPlainInterval);
  std::uint64_t done_before = 0;
  bool line_shown = false;
  run.run(
      [&](const RunStats& so_far, Clock::duration elapsed) {
        const auto done = so_far.answers() + so_far.failures();
        const double seconds = std::chrono::duration<double>(elapsed).count();
        std::optional<double> left;
        if (options.duration.count() != 0) {
          left = static_cast<double>(options.duration.count()) - seconds;
        }
        const auto line =
            progress_line(so_far, done - done_before,
                          std::chrono::duration<double>(interval).count(), seconds, left);
        done_before = done;
        // \r and "erase to the end of the line" rewrite the terminal's line in place.
        std::fprintf(progress, terminal ? "\r%s\x1b[K" : "%s\n", line.c_str());
        std::fflush(progress);
        line_shown = true;
      },
      interval);
  if (terminal && line_shown) {
    std::fputs("\n", progress);
  }

  RunStats total;
  run.total_into(total);
  const double seconds = std::chrono::duration<double>(run.elapsed()).count();
  const auto verdict = judge(objectives, total);
  if (json) {
    std::puts(boost::json::serialize(json_report(description, total, seconds, verdict)).c_str());
  } else {
    std::fputs(text_report(description, total, seconds, verdict).c_str(), stdout);
  }
  return verdict_met(verdict) ? 0 : 1;
}

}  // namespace sre::loadtest
