// sre-playground: one binary, one subcommand per process (see DESIGN.md).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "api/serve.h"
#include "core/build_info.h"
#include "core/config_cli.h"
#include "grades/grade_service_process.h"

int main(int argc, char** argv) {
  CLI::App cli{"sre-playground: a school-management REST service built to demonstrate SRE"};
  cli.set_version_flag("--version", std::string(sre::core::version()));
  cli.require_subcommand(1);

  auto* serve = cli.add_subcommand("serve", "Run the REST API (settings: flags, env, .env)");
  sre::core::load_dotenv_file(".env");
  sre::core::SettingsFlags serve_settings(*serve, sre::core::serve_settings());

  auto* grade_service = cli.add_subcommand(
      "grade-service", "Run the grade service the API depends on, with fault injection");
  sre::core::SettingsFlags grade_service_settings(
      *grade_service, sre::core::grade_service_settings(), sre::core::grade_service_defaults());

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

  if (*serve) {
    auto result = serve_settings.build();
    if (!result.config) {
      std::fprintf(stderr, "sre-playground: %s\n", result.error.c_str());
      return 2;
    }
    return sre::api::serve(*result.config);
  }
  if (*grade_service) {
    auto result = grade_service_settings.build();
    if (!result.config) {
      std::fprintf(stderr, "sre-playground: %s\n", result.error.c_str());
      return 2;
    }
    return sre::grades::run_grade_service(*result.config);
  }
  return 2;
}
