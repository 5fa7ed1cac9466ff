// `sre-playground loadtest`: puts a closed- or open-loop load on a server, shows progress,
// and ends with a report and a verdict against monitoring/slo.yaml (exit 1 on a breach, 2 on
// a setting or set-up problem). See README "Load test".
#pragma once

#include "loadtest/loadtest_options.h"

namespace sre::loadtest {

int run_loadtest(const LoadtestOptions& options, bool json);

}  // namespace sre::loadtest
