// The API program's own settings: its name (responses, logs, metrics), the environment shown
// by GET /, and where the docs page's assets are.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"

namespace sre::api {

struct ApiOptions {
  std::string app_name = "sre-playground";
  std::string environment = "development";
  std::string web_dir;  // empty: default_web_dir() (api/web_dir.h)
};

const std::vector<core::Setting<ApiOptions>>& settings();

}  // namespace sre::api
