// Binds a program's settings rows (core/config.h) to its CLI11 subcommand: one --flag per
// setting, read from the environment when the flag is absent, with the default shown in
// --help; and --help-markdown, which prints the rows as the README's table.
//
// A secret setting (DATABASE_URL, REDIS_URL, JWT_SECRET) not in its variable is read from the
// file that <NAME>_FILE names, as Kubernetes and Docker mount secrets (one trailing newline
// dropped). A secret given by flag is refused: every user of the host can read a command line.
// The AWS keys, which have <NAME>_FILE settings of their own, count as secrets too.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/config.h"

namespace sre::core {

// The part that does not depend on the options type: the flags and the texts they received.
class SettingsFlagTexts {
 public:
  SettingsFlagTexts(CLI::App& command, std::vector<SettingDoc> docs);

  // After parsing: environment name -> text, for the settings given by flag, environment or
  // secret file; or the one-line reason a secret file cannot be read.
  std::variant<std::map<std::string, std::string>, std::string> given() const;
  bool markdown_requested() const { return markdown_requested_; }
  std::string markdown() const { return markdown_table(docs_); }

 private:
  bool is_secret(const SettingDoc& doc) const;

  std::vector<SettingDoc> docs_;
  std::map<std::string, std::string> raw_;  // env name -> text, for options that were given
  std::map<std::string, CLI::Option*> options_;
  bool markdown_requested_ = false;
};

template <typename Options>
class SettingsFlags {
 public:
  SettingsFlags(CLI::App& command, const std::vector<Setting<Options>>& rows, Options defaults = {})
      : texts_(command, document(rows, defaults)), rows_(rows), defaults_(std::move(defaults)) {}

  // After parsing: the options from defaults + environment + flags, or the reason they are not.
  Built<Options> build() const {
    auto given = texts_.given();
    if (auto* error = std::get_if<std::string>(&given)) {
      return {std::nullopt, std::move(*error)};
    }
    return core::build(rows_, std::get<std::map<std::string, std::string>>(given), defaults_);
  }
  bool markdown_requested() const { return texts_.markdown_requested(); }
  std::string markdown() const { return texts_.markdown(); }

 private:
  SettingsFlagTexts texts_;
  const std::vector<Setting<Options>>& rows_;
  Options defaults_;
};

// Loads KEY=VALUE lines of `path` into the process environment, without overriding variables
// that are already set (the real environment wins over .env). Missing file: nothing happens.
void load_dotenv_file(const std::string& path);

}  // namespace sre::core
