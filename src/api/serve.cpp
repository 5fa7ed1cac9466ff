#include "api/serve.h"

#include <boost/json/object.hpp>

#include "api/app.h"
#include "api/lifecycle.h"
#include "core/build_info.h"
#include "core/log.h"
#include "http/server.h"
#include "service/run_until_signal.h"
#include "service/server_settings.h"
#include "store/open_database.h"
#include "store/startup_migration.h"

namespace sre::api {

namespace {

boost::json::object config_json(const core::Config& config) {
  boost::json::object out;
  for (const auto& [key, value] : core::describe(config)) {
    out[key] = value;
  }
  return out;
}

}  // namespace

int serve(const core::Config& config) {
  log::init(config.app_name, config.log_level);
  const unsigned threads = service::io_thread_count(config);
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
        service::server_options(config, threads),
        [&app](http::RequestContext& ctx) { return app.handle(ctx); },
        [&app](http::RequestContext& ctx, http::Response& response) {
          app.on_rejected(ctx, response);
        },
        [&app](unsigned index, const http::asio::any_io_executor& executor) {
          app.on_io_thread_start(index, executor);
        });

    const service::RunOptions run{
        .host = config.host,
        .drain_delay = std::chrono::seconds(config.shutdown_delay_seconds),
        .drain_timeout = std::chrono::seconds(config.shutdown_timeout_seconds)};
    exit_code = service::run_until_signal(
        server, run,
        {// PostgreSQL may not be up yet: then the schema is prepared in the background and the
         // service turns ready when it is; a tampered migration history stops the process.
         .on_listening =
             [&lifecycle, &database, &migration](const service::FailStartup& fail) {
               migration.start(
                   [&lifecycle, &database] {
                     lifecycle.mark_ready();
                     log::info("ready", {{"database", database->engine()},
                                         {"location", database->location()}});
                   },
                   fail);
             },
         .on_signal = [&lifecycle] { lifecycle.begin_draining(); },
         // Its callbacks use the main loop and the lifecycle.
         .on_loop_end = [&migration] { migration.stop(); }});
    server.stop();
  }
  log::info("stopped", {{"exit_code", exit_code}});
  log::shutdown();
  return exit_code;
}

}  // namespace sre::api
