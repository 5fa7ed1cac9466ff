#include "api/serve.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <csignal>
#include <thread>

#include "api/app.h"
#include "api/lifecycle.h"
#include "core/build_info.h"
#include "core/log.h"
#include "http/server.h"
#include "obs/http_metrics.h"
#include "store/open_database.h"
#include "store/startup_migration.h"

namespace sre::api {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr auto kDrainPollInterval = 50ms;

boost::json::object config_json(const core::Config& config) {
  boost::json::object out;
  for (const auto& [key, value] : core::describe(config)) {
    out[key] = value;
  }
  return out;
}

// SIGTERM -> not ready -> keep serving for the delay -> stop accepting -> wait for in-flight
// requests (bounded) -> return. A second signal exits at once.
asio::awaitable<void> shutdown_on_signal(asio::signal_set& signals, const core::Config& config,
                                         Lifecycle& lifecycle, http::Server& server) {
  auto [ec, signal] = co_await signals.async_wait(nothrow);
  if (ec) {
    co_return;
  }
  lifecycle.begin_draining();
  server.begin_draining();
  log::info("shutdown requested", {{"signal", signal},
                                   {"delay_seconds", config.shutdown_delay_seconds},
                                   {"timeout_seconds", config.shutdown_timeout_seconds}});
  signals.async_wait([](const boost::system::error_code& again, int second_signal) {
    if (!again) {
      log::warn("second signal: exiting immediately", {{"signal", second_signal}});
      log::shutdown();
      std::_Exit(1);
    }
  });

  // Load balancers and Kubernetes endpoints need a moment to notice we are not ready; until
  // then they still send traffic, which we serve normally.
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::seconds(config.shutdown_delay_seconds));
  co_await timer.async_wait(nothrow);

  server.stop_accepting();
  log::info("stopped accepting connections", {{"open_connections", server.open_connections()}});
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(config.shutdown_timeout_seconds);
  while (server.open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(kDrainPollInterval);
    co_await timer.async_wait(nothrow);
  }
  if (server.open_connections() > 0) {
    log::warn("shutdown timeout: abandoning open connections",
              {{"open_connections", server.open_connections()}});
  }
  signals.cancel();
}

}  // namespace

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

int serve(const core::Config& config) {
  log::init(config.app_name, config.log_level);
  const unsigned threads = io_thread_count(config);
  log::info("starting", {{"version", core::version()},
                         {"commit", core::git_commit()},
                         {"io_threads", threads},
                         {"config", config_json(config)}});

  int exit_code = 0;
  {
    auto database = store::open_database(config);
    store::StartupMigration migration(*database, config.auto_migrate);
    Lifecycle lifecycle;
    App app(config, *database, lifecycle, threads);
    if (auto driver_metrics = database->metrics()) {
      app.metrics().add_collectable(driver_metrics);
    }

    http::Server server(
        server_options(config, threads),
        [&app](http::RequestContext& ctx) { return app.handle(ctx); },
        [&app](http::RequestContext& ctx, http::Response& response) {
          app.on_rejected(ctx, response);
        },
        [&app](unsigned index, const asio::any_io_executor& executor) {
          app.on_io_thread_start(index, executor);
        });

    // Catch signals from here on, so a SIGTERM during startup still shuts down cleanly.
    asio::io_context main_context;
    asio::signal_set signals(main_context, SIGINT, SIGTERM);

    try {
      server.start();
      log::info("listening", {{"host", config.host}, {"port", server.port()}});
      // PostgreSQL may not be up yet: then the schema is prepared in the background and the
      // service turns ready when it is; a tampered migration history stops the process.
      migration.start(
          [&lifecycle, &database] {
            lifecycle.mark_ready();
            log::info("ready",
                      {{"database", database->engine()}, {"location", database->location()}});
          },
          [&main_context, &signals, &exit_code](const std::string& error) {
            log::error("startup failed", {{"error", error}});
            asio::post(main_context, [&signals, &exit_code] {
              exit_code = 1;
              signals.cancel();
            });
          });
      asio::co_spawn(main_context, shutdown_on_signal(signals, config, lifecycle, server),
                     asio::detached);
      main_context.run();
    } catch (const std::exception& e) {
      log::error("startup failed", {{"error", e.what()}});
      exit_code = 1;
    }
    migration.stop();  // its callbacks use main_context and lifecycle
    server.stop();
  }
  log::info("stopped", {{"exit_code", exit_code}});
  log::shutdown();
  return exit_code;
}

}  // namespace sre::api
