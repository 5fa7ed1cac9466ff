// Binds the settings table (core/config.h) to a CLI11 subcommand: one --flag per setting, read
// from the environment when the flag is absent, with the default shown in --help.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>

#include "core/config.h"

namespace sre::core {

class SettingsFlags {
 public:
  SettingsFlags(CLI::App& command, const std::vector<Setting>& settings, Config base = {});
  // After parsing: the Config from defaults + environment + flags, or the reason it is invalid.
  ConfigResult build() const;

 private:
  std::map<std::string, std::string> raw_;  // env name -> text, for options that were given
  std::map<std::string, CLI::Option*> options_;
  const std::vector<Setting>& settings_;
  Config base_;
};

// Loads KEY=VALUE lines of `path` into the process environment, without overriding variables
// that are already set (the real environment wins over .env). Missing file: nothing happens.
void load_dotenv_file(const std::string& path);

}  // namespace sre::core
