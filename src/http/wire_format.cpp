#include "http/wire_format.h"

#include <charconv>

namespace sre::http {
namespace {

bool is_framing_field(beast_http::field name) {
  return name == beast_http::field::content_length || name == beast_http::field::connection ||
         name == beast_http::field::date || name == beast_http::field::transfer_encoding;
}

// RFC 9110 6.4.1: 1xx, 204 and 304 responses never have a body or a Content-Length.
bool has_body(unsigned status) {
  return status >= 200 && status != 204 && status != 304;
}

void append_number(std::string& out, std::size_t value) {
  char digits[20];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

}  // namespace

void render_response(const Response& response, const Framing& framing, std::string& out) {
  const unsigned status = response.result_int();
  const bool http10 = response.version() == 10;
  out.clear();
  out.reserve(256 + response.body().size());
  out += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  append_number(out, status);
  out += ' ';
  std::string_view reason = response.reason();
  out += reason.empty() ? std::string_view(beast_http::obsolete_reason(response.result())) : reason;
  out += "\r\n";
  for (const auto& field : response) {
    if (!is_framing_field(field.name())) {
      append_field(out, field.name_string(), field.value());
    }
  }
  append_field(out, "Date", framing.date);
  if (has_body(status)) {
    out += "Content-Length: ";
    append_number(out, response.body().size());
    out += "\r\n";
  }
  if (!framing.keep_alive) {
    append_field(out, "Connection", "close");
  } else if (http10) {
    append_field(out, "Connection", "keep-alive");  // 1.0 closes unless told otherwise
  }
  out += "\r\n";
  if (has_body(status)) {
    out += response.body();
  }
}

}  // namespace sre::http
