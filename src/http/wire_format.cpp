#include "http/wire_format.h"

#include <charconv>

namespace sre::http {

void render_response(const Response& response, std::string& out) {
  out.clear();
  out.reserve(256 + response.body().size());
  out += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char status[4] = {};
  std::to_chars(status, status + 3, response.result_int());
  out.append(status, 3);
  out += ' ';
  std::string_view reason = response.reason();
  out += reason.empty() ? std::string_view(beast_http::obsolete_reason(response.result())) : reason;
  out += "\r\n";
  for (const auto& field : response) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
  out += response.body();
}

}  // namespace sre::http
