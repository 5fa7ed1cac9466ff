// CORS_ORIGINS: the browser origins allowed to call this service from their pages (CORS, as
// the Fetch standard defines it). Unset: none, and no CORS header is ever sent.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/config.h"

namespace sre::http {

// "https://app.example.com, http://localhost:3000", or "*" for any origin.
class CorsOrigins {
 public:
  CorsOrigins() = default;

  // The list, or a one-line reason naming the entry at fault. Empty text: no origin.
  static std::variant<CorsOrigins, std::string> parse(std::string_view text);

  bool empty() const { return origins_.empty() && !any_; }
  bool any() const { return any_; }
  // `origin` as a browser sends it in the Origin header (lower case, no path).
  bool allows(std::string_view origin) const;
  std::string describe() const;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;
};

struct CorsOptions {
  CorsOrigins origins;
};

const std::vector<core::Setting<CorsOptions>>& cors_settings();

}  // namespace sre::http
