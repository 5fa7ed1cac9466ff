#include "api/serve.h"

#include <boost/json/object.hpp>

#include "api/app.h"
#include "api/lifecycle.h"
#include "core/build_info.h"
#include "core/log.h"
#include "http/server.h"
#include "http/server_settings.h"
#include "service/run_until_signal.h"
#include "store/open_database.h"
#include "store/startup_migration.h"

namespace sre::api {

namespace {

boost::json::object config_json(const ServeConfig& config) {
  boost::json::object out;
  for (const auto& [key, value] : core::describe(serve_settings(), config)) {
    out[key] = value;
  }
  return out;
}

}  // namespace

int serve(const ServeConfig& config) {
  log::init(config.api.app_name, config.log.level);
  http::ServerOptions server_options = config.server;
  server_options.threads = http::io_thread_count(config.server);
  const unsigned threads = server_options.threads;
  log::info("starting", {{"version", core::version()},
                         {"commit", core::git_commit()},
                         {"io_threads", threads},
                         {"config", config_json(config)}});

  int exit_code = 0;
  {
    auto database = store::open_database(config.store, config.api.app_name);
    store::StartupMigration migration(*database, config.store.auto_migrate);
    Lifecycle lifecycle;
    App app(config, *database, *database, lifecycle, threads);
    if (auto driver_metrics = database->metrics()) {
      app.metrics().add_collectable(driver_metrics);
    }

    http::Server server(
        server_options, [&app](http::RequestContext& ctx) { return app.handle(ctx); },
        [&app](http::RequestContext& ctx, http::Response& response) {
          app.on_rejected(ctx, response);
        },
        [&app](unsigned index, const http::asio::any_io_executor& executor) {
          app.on_io_thread_start(index, executor);
        });

    const service::RunOptions run{.host = config.server.host,
                                  .drain_delay = config.service.shutdown_delay,
                                  .drain_timeout = config.service.shutdown_timeout};
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
