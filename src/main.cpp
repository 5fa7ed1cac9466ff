// sre-playground: one binary, one subcommand per process (see DESIGN.md).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "api/migrate.h"
#include "api/serve.h"
#include "core/build_info.h"
#include "core/config_cli.h"

int main(int argc, char** argv) {
  CLI::App cli{"sre-playground: a school-management REST service built to demonstrate SRE"};
  cli.set_version_flag("--version", std::string(sre::core::version()));
  cli.require_subcommand(1);

  auto* serve = cli.add_subcommand("serve", "Run the REST API (settings: flags, env, .env)");
  sre::core::load_dotenv_file(".env");
  sre::core::SettingsFlags serve_settings(*serve, sre::core::serve_settings());

  auto* migrate = cli.add_subcommand(
      "migrate", "Apply pending schema migrations to DATABASE_URL's database and exit");
  bool migrate_status = false;
  migrate->add_flag("--status", migrate_status, "List applied and pending migrations instead");
  sre::core::SettingsFlags migrate_settings(*migrate, sre::core::serve_settings());

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
  if (*migrate) {
    auto result = migrate_settings.build();
    if (!result.config) {
      std::fprintf(stderr, "sre-playground: %s\n", result.error.c_str());
      return 2;
    }
    return sre::api::migrate(*result.config, migrate_status);
  }
  return 2;
}
