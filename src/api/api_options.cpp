#include "api/api_options.h"

namespace sre::api {

const std::vector<core::Setting<ApiOptions>>& settings() {
  using core::setting;
  static const std::vector<core::Setting<ApiOptions>> rows{
      setting("ENVIRONMENT", &ApiOptions::environment, core::non_empty_text(),
              "Deployment environment shown by GET /"),
      setting("APP_NAME", &ApiOptions::app_name, core::non_empty_text(),
              "Service name in responses, logs and metrics"),
      setting("WEB_DIR", &ApiOptions::web_dir, core::any_text(),
              "Static assets (API docs page); unset: share/sre-playground/web beside the "
              "binary's bin/, or the source tree's web/ for a binary in its build tree"),
  };
  return rows;
}

}  // namespace sre::api
