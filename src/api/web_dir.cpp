#include "api/web_dir.h"

#include <filesystem>
#include <system_error>

namespace sre::api {

namespace fs = std::filesystem;

namespace {

bool holds_docs_page(const fs::path& dir) {
  std::error_code ignored;
  return fs::is_regular_file(dir / "docs.html", ignored);
}

}  // namespace

std::string default_web_dir() {
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  const fs::path installed =
      executable.parent_path().parent_path() / "share" / "sre-playground" / "web";
  if (!error && holds_docs_page(installed)) {
    return installed.string();
  }
  // SRE_SOURCE_WEB_DIR is set by src/CMakeLists.txt on this file only.
  const fs::path source_tree = SRE_SOURCE_WEB_DIR;
  if (holds_docs_page(source_tree)) {
    return source_tree.string();
  }
  return installed.string();
}

}  // namespace sre::api
