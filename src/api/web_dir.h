// Where the API finds its page assets (the docs page, Swagger UI) when WEB_DIR is not set: the
// directory installed beside the binary, so a copied or installed binary serves /docs from any
// working directory.
#pragma once

#include <string>

namespace sre::api {

// <prefix>/share/sre-playground/web for a binary at <prefix>/bin/sre-playground (what
// `cmake --install` lays out); for a binary still in its build tree, which has no such
// directory, the source tree's web/. The installed path when neither holds docs.html, so the
// warning about the missing page names where it was looked for.
std::string default_web_dir();

}  // namespace sre::api
