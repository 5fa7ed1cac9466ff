#include "api/migrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "core/log.h"
#include "store/open_database.h"

namespace sre::api {

namespace {

void print_status(store::Database& database) {
  auto applied = database.applied_migrations();
  std::printf("database: %s\n", database.location().c_str());
  for (const auto& migration : database.migrations()) {
    auto row = std::find_if(applied.begin(), applied.end(),
                            [&](const auto& a) { return a.version == migration.version; });
    std::string state = "pending";
    std::string when;
    if (row != applied.end()) {
      state = row->checksum == store::checksum(migration.sql) ? "applied" : "CHANGED";
      when = row->applied_at;
    }
    std::printf("%04d  %-24.*s  %-8s %s\n", migration.version,
                static_cast<int>(migration.name.size()), migration.name.data(), state.c_str(),
                when.c_str());
  }
  auto pending = store::pending_migrations(database.migrations(), applied);
  std::printf("%zu applied, %zu pending\n", applied.size(), pending.size());
}

}  // namespace

int migrate(const MigrateConfig& config, bool status_only) {
  log::init(config.api.app_name, "warn");
  int exit_code = 0;
  try {
    auto database = store::open_database(config.store, config.api.app_name);
    if (status_only) {
      print_status(*database);
    } else {
      int applied = database->migrate();
      std::printf("%d migration(s) applied; %s is up to date\n", applied,
                  database->location().c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sre-playground migrate: %s\n", e.what());
    exit_code = 1;
  }
  log::shutdown();
  return exit_code;
}

}  // namespace sre::api
