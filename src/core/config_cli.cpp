#include "core/config_cli.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sre::core {

SettingsFlags::SettingsFlags(CLI::App& command, const std::vector<Setting>& settings, Config base)
    : settings_(settings), base_(std::move(base)) {
  for (const auto& setting : settings) {
    auto* option = command.add_option(setting.flag(), raw_[setting.env], setting.help)
                       ->envname(setting.env)
                       ->default_str(setting.default_text)
                       ->type_name(setting.env);
    options_[setting.env] = option;
  }
}

ConfigResult SettingsFlags::build() const {
  std::map<std::string, std::string> given;
  for (const auto& [env, option] : options_) {
    if (option->count() > 0) {
      given[env] = raw_.at(env);
    }
  }
  return build_config(given, settings_, base_);
}

void load_dotenv_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return;
  }
  std::stringstream content;
  content << file.rdbuf();
  for (const auto& [key, value] : parse_dotenv(content.str())) {
    setenv(key.c_str(), value.c_str(), /*overwrite=*/0);
  }
}

}  // namespace sre::core
