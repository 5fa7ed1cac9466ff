// What was built: version and commit, for GET /, the startup log and the build_info metric.
#pragma once

#include <string_view>

namespace sre::core {

std::string_view version();
std::string_view git_commit();

}  // namespace sre::core
