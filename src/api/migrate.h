// `sre-playground migrate`: applies the pending schema migrations of the configured database
// (DATABASE_URL, as for serve) and exits. `--status` lists applied and pending ones instead.
#pragma once

#include "api/serve_config.h"

namespace sre::api {

// Exit codes: 0 done, 1 failed (unreachable database, SQL error, tampered history).
int migrate(const MigrateConfig& config, bool status_only);

}  // namespace sre::api
