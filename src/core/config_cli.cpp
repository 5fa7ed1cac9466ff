#include "core/config_cli.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sre::core {

SettingsFlagTexts::SettingsFlagTexts(CLI::App& command, std::vector<SettingDoc> docs)
    : docs_(std::move(docs)) {
  for (const auto& doc : docs_) {
    options_[doc.env] = command.add_option(doc.flag(), raw_[doc.env], doc.help)
                            ->envname(doc.env)
                            ->default_str(doc.default_text)
                            ->type_name(doc.env);
  }
  command.add_flag("--help-markdown", markdown_requested_,
                   "Print these settings as the README's Markdown table and exit");
}

bool SettingsFlagTexts::is_secret(const SettingDoc& doc) const {
  return doc.secret || std::any_of(docs_.begin(), docs_.end(), [&](const SettingDoc& other) {
           return other.env == doc.env + "_FILE";
         });
}

std::variant<std::map<std::string, std::string>, std::string> SettingsFlagTexts::given() const {
  std::map<std::string, std::string> given;
  for (const auto& doc : docs_) {
    if (options_.at(doc.env)->count() > 0) {
      // CLI11 reads the variable only when the flag is absent: a value that is not the
      // variable's came from the command line, which every user of the host can read in ps.
      const char* variable = std::getenv(doc.env.c_str());
      if (is_secret(doc) && (variable == nullptr || raw_.at(doc.env) != variable)) {
        return invalid_setting(doc.env, "a secret is read from the environment or " + doc.env +
                                            "_FILE, never from the command line (ps shows it)");
      }
      given[doc.env] = raw_.at(doc.env);
      continue;
    }
    const std::string file_variable = doc.env + "_FILE";
    const char* path = doc.secret ? std::getenv(file_variable.c_str()) : nullptr;
    if (path == nullptr || *path == '\0') {
      continue;
    }
    std::ifstream file(path);
    if (!file) {
      return invalid_setting(file_variable, std::string("cannot read ") + path);
    }
    std::stringstream content;
    content << file.rdbuf();
    std::string text = content.str();
    if (text.ends_with('\n')) {
      text.pop_back();
    }
    if (text.ends_with('\r')) {
      text.pop_back();
    }
    given[doc.env] = std::move(text);
  }
  return given;
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
