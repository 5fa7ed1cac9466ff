#include "worker/worker_config.h"

#include "http/server_settings.h"

namespace sre::worker {

namespace {

// The HTTP server's rows with PORT named WORKER_PORT: the worker usually shares a `.env`
// (and a DATABASE_URL) with the API, whose PORT it must not take.
std::vector<core::Setting<http::ServerOptions>> server_rows() {
  auto rows = http::server_settings("TCP port of the worker's health and metrics endpoints");
  for (auto& row : rows) {
    if (row.env == "PORT") {
      row.env = "WORKER_PORT";
    }
  }
  return rows;
}

}  // namespace

const std::vector<core::Setting<WorkerConfig>>& settings() {
  using core::nest;
  static const std::vector<core::Setting<WorkerConfig>> rows = core::concat<WorkerConfig>({
      nest(&WorkerConfig::server, server_rows()),
      nest(&WorkerConfig::log, core::log_settings()),
      nest(&WorkerConfig::store, store::settings()),
      nest(&WorkerConfig::worker, worker_settings()),
      nest(&WorkerConfig::aws, aws::settings()),
  });
  return rows;
}

}  // namespace sre::worker
