// sre-playground: one binary, one subcommand per process (serve, migrate, grade-service,
// worker, slo generate, user add, token, loadtest); this file only dispatches to them.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "api/auth_commands.h"
#include "api/migrate.h"
#include "api/serve.h"
#include "api/serve_config.h"
#include "core/build_info.h"
#include "core/config_cli.h"
#include "grade_service/grade_service_config.h"
#include "grade_service/grade_service_process.h"
#include "loadtest/loadtest.h"
#include "slo/slo_generate.h"
#include "worker/worker_config.h"
#include "worker/worker_process.h"

int main(int argc, char** argv) {
  CLI::App cli{"sre-playground: a school-management REST service built to demonstrate SRE"};
  cli.set_version_flag("--version", std::string(sre::core::version()));
  cli.require_subcommand(1);

  auto* serve = cli.add_subcommand("serve", "Run the REST API (settings: flags, env, .env)");
  sre::core::load_dotenv_file(".env");
  sre::core::SettingsFlags serve_settings(*serve, sre::api::serve_settings());

  auto* migrate = cli.add_subcommand(
      "migrate", "Apply pending schema migrations to DATABASE_URL's database and exit");
  bool migrate_status = false;
  migrate->add_flag("--status", migrate_status, "List applied and pending migrations instead");
  sre::core::SettingsFlags migrate_settings(*migrate, sre::api::migrate_settings());

  auto* grade_service = cli.add_subcommand(
      "grade-service", "Run the grade service the API depends on, with fault injection");
  sre::core::SettingsFlags grade_service_settings(*grade_service, sre::grade_service::settings());

  auto* worker = cli.add_subcommand(
      "worker", "Consume student events (outbox or SQS) and apply their effects; port 8002");
  sre::core::SettingsFlags worker_settings(*worker, sre::worker::settings());

  auto* slo = cli.add_subcommand("slo", "Service level objectives (monitoring/slo.yaml)");
  slo->require_subcommand(1);
  auto* slo_generate = slo->add_subcommand(
      "generate", "Write the Prometheus rules of monitoring/slo.yaml (run from the repo root)");
  sre::slo::GenerateOptions slo_options;
  slo_generate->add_option("--spec", slo_options.spec, "The objectives")->capture_default_str();
  slo_generate->add_option("--rules", slo_options.rules, "Recording rules and alerts written")
      ->capture_default_str();
  slo_generate
      ->add_option("--time-scale", slo_options.time_scale,
                   "Compress every window by this factor, for tests and demos (0.01: 1h reads "
                   "36s); the committed rules use 1")
      ->capture_default_str()
      ->check(CLI::Range(0.0001, 1.0));

  auto* user = cli.add_subcommand("user", "Manage the users who may log in (USERS_FILE)");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand(
      "add", "Add or replace a user; the password is read from stdin (one line)");
  std::string user_name;
  std::string user_role;
  user_add->add_option("name", user_name, "User name")->required();
  user_add->add_option("--role", user_role, "reader, staff or admin")->required();
  sre::core::SettingsFlags user_settings(*user_add, sre::api::auth_command_settings());

  auto* token = cli.add_subcommand("token", "Print a signed token (for operators and tests)");
  std::string token_subject;
  std::string token_role;
  std::string token_ttl = "1h";
  token->add_option("--sub", token_subject, "The token's subject")->required();
  token->add_option("--role", token_role, "reader, staff or admin")->required();
  token->add_option("--ttl", token_ttl, "Lifetime: 3600, 90m, 1h, 7d")->capture_default_str();
  sre::core::SettingsFlags token_settings(*token, sre::api::auth_command_settings());

  auto* loadtest = cli.add_subcommand(
      "loadtest",
      "Put closed- or open-loop load on a server; report percentiles and the SLO verdict");
  bool loadtest_json = false;
  loadtest->add_flag("--json", loadtest_json, "Print the report as JSON (progress goes to stderr)");
  sre::core::SettingsFlags loadtest_settings(*loadtest, sre::loadtest::settings());

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "sre-playground: %s\n", e.what());
    return 2;
  }

  // Settings are checked before anything starts: an invalid one exits 2 with one line.
  // --help-markdown prints them as the README's table instead.
  auto run = [](const auto& settings, auto&& command) {
    if (settings.markdown_requested()) {
      std::fputs(settings.markdown().c_str(), stdout);
      return 0;
    }
    auto result = settings.build();
    if (!result.options) {
      std::fprintf(stderr, "sre-playground: %s\n", result.error.c_str());
      return 2;
    }
    return command(*result.options);
  };
  if (*serve) {
    return run(serve_settings,
               [](const sre::api::ServeConfig& config) { return sre::api::serve(config); });
  }
  if (*migrate) {
    return run(migrate_settings, [&](const sre::api::MigrateConfig& config) {
      return sre::api::migrate(config, migrate_status);
    });
  }
  if (*grade_service) {
    return run(grade_service_settings, [](const sre::grade_service::GradeServiceConfig& config) {
      return sre::grade_service::run_grade_service(config);
    });
  }
  if (*worker) {
    return run(worker_settings, [](const sre::worker::WorkerConfig& config) {
      return sre::worker::run_worker(config);
    });
  }
  if (*slo_generate) {
    return sre::slo::generate(slo_options);
  }
  if (*user_add) {
    return run(user_settings, [&](const sre::api::AuthCommandConfig& config) {
      return sre::api::add_user(config, user_name, user_role);
    });
  }
  if (*token) {
    return run(token_settings, [&](const sre::api::AuthCommandConfig& config) {
      return sre::api::print_token(config, token_subject, token_role, token_ttl);
    });
  }
  if (*loadtest) {
    return run(loadtest_settings, [&](const sre::loadtest::LoadtestOptions& options) {
      return sre::loadtest::run_loadtest(options, loadtest_json);
    });
  }
  return 2;
}
