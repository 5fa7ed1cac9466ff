#include "worker/worker_process.h"

#include "aws/aws_access.h"
#include "aws/aws_metrics.h"
#include "aws/sqs_client.h"
#include "core/build_info.h"
#include "core/log.h"
#include "http/server.h"
#include "http/server_settings.h"
#include "service/run_until_signal.h"
#include "store/open_database.h"
#include "store/startup_migration.h"
#include "worker/consumption.h"
#include "worker/outbox_source.h"
#include "worker/sqs_source.h"
#include "worker/worker_app.h"

namespace sre::worker {

namespace {

// How PostgreSQL sessions of the worker are named (pg_stat_activity).
constexpr std::string_view kApplicationName = "sre-playground-worker";

// The SQS source when ENABLE_SQS is true (`sqs` is then set before consumption starts), else
// the outbox table, woken by `signal` (when the engine has one) as soon as another process
// commits rows.
Consumption::SourceFactory source_factory(const WorkerConfig& config, store::EventStore& events,
                                          const std::unique_ptr<aws::SqsClient>& sqs,
                                          const std::shared_ptr<store::OutboxSignal>& signal) {
  if (config.aws.enable_sqs) {
    const SqsSource::Options options{
        .queue_name = config.aws.sqs_queue_name,
        .batch_size = config.worker.batch_size,
        .visibility_timeout = config.worker.visibility_timeout,
        .wait = config.worker.wait,
        .provision = config.aws.auto_provision_in(config.worker.environment)};
    return [&sqs, options](const boost::asio::any_io_executor& /*executor*/) {
      return std::make_shared<SqsSource>(*sqs, options);
    };
  }
  const OutboxSource::Options outbox{.batch_size = config.worker.batch_size,
                                     .lease = config.worker.visibility_timeout,
                                     .poll_interval = config.worker.poll_interval};
  return [&events, outbox, &signal](const boost::asio::any_io_executor& executor) {
    auto source = std::make_shared<OutboxSource>(events, outbox, executor);
    if (signal) {
      signal->start(executor, [weak = std::weak_ptr<OutboxSource>(source)] {
        if (auto alive = weak.lock()) {
          alive->wake();
        }
      });
    }
    return source;
  };
}

}  // namespace

int run_worker(const WorkerConfig& config) {
  log::init("worker", config.log.level);
  http::ServerOptions server_options = config.server;
  server_options.threads = http::io_thread_count(config.server);
  log::info("starting", {{"version", core::version()},
                         {"io_threads", server_options.threads},
                         {"port", config.server.port},
                         {"batch_size", config.worker.batch_size},
                         {"source", config.aws.enable_sqs ? "sqs" : "outbox"}});
  int exit_code = 0;
  {
    auto database = store::open_database(config.store, std::string(kApplicationName));
    store::EventStore& events = *database;
    store::StartupMigration migration(*database, config.store.auto_migrate);
    auto metrics = std::make_shared<WorkerMetrics>();
    std::unique_ptr<aws::SqsClient> sqs;
    // Set below, once its metrics have a home; the source is built when consumption starts.
    std::shared_ptr<store::OutboxSignal> outbox_signal;
    Consumption consumption(
        source_factory(config, events, sqs, outbox_signal), events,
        [&database] { return database->ping(); }, *metrics);
    WorkerApp app(consumption, *database, metrics, server_options.threads);
    if (auto driver_metrics = database->metrics()) {
      app.http().metrics().add_collectable(driver_metrics);
    }
    if (!config.aws.enable_sqs) {
      outbox_signal = database->outbox_signal(app.http().metrics());
    }
    std::unique_ptr<aws::AwsMetrics> aws_metrics;
    if (config.aws.enable_sqs) {
      auto access = aws::load_access(config.aws);
      if (auto* error = std::get_if<std::string>(&access)) {
        log::error("cannot read the AWS credentials or CA bundle", {{"error", *error}});
        log::shutdown();
        return 1;
      }
      aws_metrics = std::make_unique<aws::AwsMetrics>(app.http().metrics());
      sqs = std::make_unique<aws::SqsClient>(
          aws::service_address(config.aws, std::get<aws::AwsAccess>(access), "sqs"), *aws_metrics);
    }

    http::Server server(
        server_options, [&app](http::RequestContext& ctx) { return app.http().handle(ctx); },
        [&app](http::RequestContext& ctx, http::Response& response) {
          app.http().on_rejected(ctx, response);
        },
        [&consumption](unsigned index, const boost::asio::any_io_executor& executor) {
          if (index == 0) {
            consumption.attach(executor);
          }
        });
    server.track_refusals(app.http().metrics().registry());
    exit_code = service::run_until_signal(
        server, {.host = config.server.host},
        {.on_listening =
             [&migration, &consumption, &database](const service::FailStartup& fail) {
               migration.start(
                   [&consumption, &database] {
                     log::info("ready", {{"database", database->engine()},
                                         {"location", database->location()}});
                     consumption.start();
                   },
                   fail);
             },
         .on_signal = [&consumption] { consumption.stop(); },
         .on_loop_end =
             [&migration, &consumption, &config, &outbox_signal] {
               migration.stop();
               consumption.stop();  // also when start-up failed
               if (!consumption.wait_stopped(config.worker.shutdown_timeout)) {
                 log::warn(
                     "shutdown timeout: abandoning the batch in hand (it is delivered "
                     "again)",
                     {{"timeout_seconds", config.worker.shutdown_timeout.count()}});
               }
               if (outbox_signal) {
                 outbox_signal->stop();
               }
             }});
    server.stop();
  }
  log::info("stopped", {{"exit_code", exit_code}});
  log::shutdown();
  return exit_code;
}

}  // namespace sre::worker
