#include "service/server_settings.h"

#include <algorithm>
#include <thread>

namespace sre::service {

unsigned io_thread_count(const core::Config& config) {
  if (config.worker_threads > 0) {
    return config.worker_threads;
  }
  return std::max(1U, std::thread::hardware_concurrency());
}

http::ServerOptions server_options(const core::Config& config, unsigned threads) {
  return {config.host,
          config.port,
          threads,
          config.max_body_bytes,
          config.max_header_bytes,
          std::chrono::seconds(config.request_timeout_seconds),
          std::chrono::seconds(config.idle_timeout_seconds)};
}

}  // namespace sre::service
