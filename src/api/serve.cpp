#include "api/serve.h"

#include <boost/json/object.hpp>
#include <cstdio>
#include <future>

#include "api/app.h"
#include "api/lifecycle.h"
#include "api/store_warm_up.h"
#include "auth/auth_options.h"
#include "aws/aws_access.h"
#include "aws/aws_metrics.h"
#include "aws/dynamodb_client.h"
#include "core/build_info.h"
#include "core/log.h"
#include "events/outbox_relay.h"
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

// How long shutdown waits for the relay's loops to finish the batch in hand: one AWS call and
// the store's bookkeeping.
constexpr std::chrono::seconds kRelayStopTimeout{10};

// The credentials the relay signs with and the TLS it speaks; nullopt (after a log line) when
// a *_FILE or AWS_CA_BUNDLE is unusable.
std::optional<aws::AwsAccess> relay_access(const ServeConfig& config) {
  if (!config.aws.enable_sqs && !config.aws.enable_dynamodb) {
    return aws::AwsAccess{};
  }
  auto loaded = aws::load_access(config.aws);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    log::error("startup failed", {{"error", *error}});
    return std::nullopt;
  }
  return std::get<aws::AwsAccess>(loaded);
}

}  // namespace

int serve(const ServeConfig& config) {
  if (auto refusal = auth::secret_refusal(config.auth, config.api.environment)) {
    std::fprintf(stderr, "sre-playground: %s\n", refusal->c_str());
    return 2;
  }
  auto codec = auth::make_codec(config.auth);
  if (auto* error = std::get_if<std::string>(&codec)) {
    std::fprintf(stderr, "sre-playground: %s\n", error->c_str());
    return 2;
  }
  auto users = auth::Users::load(config.auth.users_file);
  if (auto* error = std::get_if<std::string>(&users)) {
    std::fprintf(stderr, "sre-playground: %s\n", error->c_str());
    return 2;
  }

  log::init(config.api.app_name, config.log.level);
  http::ServerOptions server_options = config.server;
  server_options.threads = http::io_thread_count(config.server);
  const unsigned threads = server_options.threads;
  log::info("starting", {{"version", core::version()},
                         {"commit", core::git_commit()},
                         {"io_threads", threads},
                         {"config", config_json(config)}});
  const bool required = auth::auth_required(config.auth, config.api.environment);
  log::info("authentication", {{"public_api_needs_token", required},
                               {"algorithm", config.auth.algorithm},
                               {"users", std::get<auth::Users>(users).size()},
                               {"development_secret", auth::uses_development_secret(config.auth)},
                               {"admin_token", "sre-playground token --sub $USER --role admin"}});
  if (auth::uses_development_secret(config.auth)) {
    log::warn(
        "JWT_SECRET is unset: tokens are signed with the development secret, which anyone "
        "can read in the source; set JWT_SECRET outside development");
  }

  auto access = relay_access(config);
  if (!access) {
    log::shutdown();
    return 1;
  }

  int exit_code = 0;
  {
    auto database = store::open_database(config.store, config.api.app_name);
    store::StartupMigration migration(*database, config.store.auto_migrate);
    Lifecycle lifecycle;
    // Created right after the App (its metrics must exist before the first scrape); the App's
    // student service rings it after every commit that wrote outbox rows, which only happens
    // once the server runs.
    std::unique_ptr<events::OutboxRelay> relay;
    // Tells other processes (a worker reading the outbox, other instances' relays) of the
    // same commits, and wakes our relay for theirs; none on SQLite.
    std::shared_ptr<store::OutboxSignal> outbox_signal;
    App app(config, *database, *database, lifecycle, threads, std::get<auth::TokenCodec>(codec),
            std::move(std::get<auth::Users>(users)), [&relay, &outbox_signal] {
              relay->wake();
              if (outbox_signal) {
                outbox_signal->announce();
              }
            });
    if (auto driver_metrics = database->metrics()) {
      app.metrics().add_collectable(driver_metrics);
    }
    aws::AwsMetrics aws_metrics(app.metrics());
    // ENABLE_DYNAMODB: the audit endpoint reads the audit table the relay fills.
    std::unique_ptr<aws::DynamoDbClient> audit_table;
    if (config.aws.enable_dynamodb) {
      audit_table = std::make_unique<aws::DynamoDbClient>(
          aws::service_address(config.aws, *access, "dynamodb"), aws_metrics);
      app.read_audit_from_dynamodb(*audit_table, config.aws.dynamodb_table);
    }
    relay = std::make_unique<events::OutboxRelay>(
        events::RelaySetup{config.relay, config.aws, *access,
                           config.aws.auto_provision_in(config.api.environment)},
        *database, app.metrics(), aws_metrics);
    outbox_signal = database->outbox_signal(app.metrics());
    relay->prune_also({"idempotency_keys",
                       [&app] { return app.student_service().prune_expired_idempotency_keys(); }});

    // The relay runs on I/O thread 0's event loop (the store's calls need an I/O thread).
    std::promise<http::asio::any_io_executor> relay_thread;
    auto relay_executor = relay_thread.get_future().share();
    http::Server server(
        server_options, [&app](http::RequestContext& ctx) { return app.handle(ctx); },
        [&app](http::RequestContext& ctx, http::Response& response) {
          app.on_rejected(ctx, response);
        },
        [&app, &relay_thread](unsigned index, const http::asio::any_io_executor& executor) {
          app.on_io_thread_start(index, executor);
          if (index == 0) {
            relay_thread.set_value(executor);
          }
        });
    server.track_refusals(app.metrics().registry());

    const service::RunOptions run{.host = config.server.host,
                                  .drain_delay = config.service.shutdown_delay,
                                  .drain_timeout = config.service.shutdown_timeout};
    exit_code = service::run_until_signal(
        server, run,
        {// PostgreSQL may not be up yet: then the schema is prepared in the background and the
         // service turns ready when it is; a tampered migration history stops the process.
         // The relay starts with readiness: the outbox tables exist from then on.
         // Readiness waits for every I/O thread's connections (api/store_warm_up.h).
         .on_listening =
             [&lifecycle, &database, &migration, &relay, &outbox_signal, &server,
              relay_executor](const service::FailStartup& fail) {
               migration.start(
                   [&lifecycle, &database, &relay, &outbox_signal, &server, relay_executor] {
                     relay->start(relay_executor.get());
                     if (outbox_signal) {
                       outbox_signal->start(relay_executor.get(), [&relay] { relay->wake(); });
                     }
                     // Runs on an I/O thread, maybe after a signal: it touches only what
                     // outlives the event loops, and mark_ready() never undoes draining.
                     warm_up_store(server.io_executors(), *database,
                                   [&lifecycle, &database](std::chrono::milliseconds took) {
                                     lifecycle.mark_ready();
                                     log::info("ready", {{"database", database->engine()},
                                                         {"location", database->location()},
                                                         {"warm_up_ms", took.count()}});
                                   });
                   },
                   fail);
             },
         .on_signal = [&lifecycle] { lifecycle.begin_draining(); },
         // Its callbacks use the main loop and the lifecycle.
         .on_loop_end = [&migration] { migration.stop(); }});
    // No request is in flight any more: the relay finishes the batch in hand, then the event
    // loops it runs on stop.
    if (outbox_signal) {
      outbox_signal->stop();
    }
    relay->stop(kRelayStopTimeout);
    server.stop();
  }
  log::info("stopped", {{"exit_code", exit_code}});
  log::shutdown();
  return exit_code;
}

}  // namespace sre::api
