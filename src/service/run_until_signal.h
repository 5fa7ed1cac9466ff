// How every program ends: start the HTTP server, run the main thread's event loop until
// SIGTERM or SIGINT, then drain and return the exit code.
//
//   signal -> on_signal hook (e.g. readiness turns false) -> keep serving for drain_delay
//          -> stop accepting -> wait for open connections, at most drain_timeout -> return
//
// A second signal exits at once. Stopping the server (joining its threads) is left to the
// caller, after it has stopped whatever still posts work to it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "http/server.h"

namespace sre::service {

struct RunOptions {
  std::string_view host;  // for the "listening" log line
  // Load balancers and Kubernetes endpoints need a moment to notice an instance is not ready;
  // until then they still send traffic, which is served normally.
  std::chrono::seconds drain_delay{0};
  std::chrono::seconds drain_timeout{0};
};

// Reports a start-up failure found after the server started listening (from any thread): the
// run ends and returns 1.
using FailStartup = std::function<void(const std::string& error)>;

struct RunHooks {
  // Runs on the main thread once the server listens, e.g. to prepare the schema in the
  // background.
  std::function<void(FailStartup fail)> on_listening;
  // Runs at the first signal, before draining starts.
  std::function<void()> on_signal;
  // Runs when the loop has ended: stop the work that reports through `fail`.
  std::function<void()> on_loop_end;
};

// 0 after a clean drain, 1 when the server could not start or on_listening's work failed.
int run_until_signal(http::Server& server, const RunOptions& options, const RunHooks& hooks = {});

}  // namespace sre::service
