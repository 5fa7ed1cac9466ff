#include "api/serve_config.h"

#include "http/server_settings.h"
#include "resilience/load_shedding_settings.h"

namespace sre::api {

const std::vector<core::Setting<ServeConfig>>& serve_settings() {
  using core::nest;
  static const std::vector<core::Setting<ServeConfig>> rows = core::concat<ServeConfig>({
      nest(&ServeConfig::server, http::server_settings("TCP port of the API")),
      nest(&ServeConfig::cors, http::cors_settings()),
      nest(&ServeConfig::log, core::log_settings()),
      nest(&ServeConfig::api, api::settings()),
      nest(&ServeConfig::service, service::settings()),
      nest(&ServeConfig::store, store::settings()),
      nest(&ServeConfig::students, students::settings()),
      nest(&ServeConfig::grades, grades::settings()),
      nest(&ServeConfig::load_shedding, resilience::load_shedding_settings()),
      nest(&ServeConfig::redis, redis::settings()),
      nest(&ServeConfig::cache, cache::settings()),
      nest(&ServeConfig::rate_limit, ratelimit::settings()),
      nest(&ServeConfig::auth, auth::settings()),
      nest(&ServeConfig::aws, aws::settings()),
      nest(&ServeConfig::relay, events::settings()),
  });
  return rows;
}

const std::vector<core::Setting<MigrateConfig>>& migrate_settings() {
  using core::nest;
  static const std::vector<core::Setting<MigrateConfig>> rows = core::concat<MigrateConfig>({
      nest(&MigrateConfig::api, api::settings()),
      nest(&MigrateConfig::store, store::settings()),
  });
  return rows;
}

}  // namespace sre::api
