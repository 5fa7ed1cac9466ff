#include "http/wire_format.h"

#include <boost/beast/core/string.hpp>
#include <charconv>

namespace sre::http {
namespace {

namespace beast = boost::beast;

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

bool is_framing_field(const Response::value_type& field) {
  const beast_http::field name = field.name();
  return name == beast_http::field::content_length || name == beast_http::field::connection ||
         name == beast_http::field::date || name == beast_http::field::transfer_encoding ||
         (name == beast_http::field::unknown &&
          beast::iequals(field.name_string(), "X-Content-Type-Options"));
}

// What the security headers depend on, noted while the fields are written (no lookups).
struct SeenFields {
  std::string_view content_type;
  bool cache_control = false;
  bool content_security_policy = false;
  bool frame_options = false;

  void note(const Response::value_type& field) {
    switch (field.name()) {
      case beast_http::field::content_type:
        content_type = field.value();
        break;
      case beast_http::field::cache_control:
        cache_control = true;
        break;
      case beast_http::field::x_frame_options:
        frame_options = true;
        break;
      case beast_http::field::unknown:
        content_security_policy = content_security_policy ||
                                  beast::iequals(field.name_string(), "Content-Security-Policy");
        break;
      default:
        break;
    }
  }
};

bool is_media_type(std::string_view content_type, std::string_view media_type) {
  return content_type.size() >= media_type.size() &&
         beast::iequals(content_type.substr(0, media_type.size()), media_type) &&
         (content_type.size() == media_type.size() || content_type[media_type.size()] == ';' ||
          content_type[media_type.size()] == ' ');
}

void append_security_headers(std::string& out, const SeenFields& seen) {
  out += "X-Content-Type-Options: nosniff\r\n";
  if (is_media_type(seen.content_type, "application/json") && !seen.cache_control) {
    out += "Cache-Control: no-store\r\n";
  }
  if (is_media_type(seen.content_type, "text/html")) {
    if (!seen.content_security_policy) {
      append_field(out, "Content-Security-Policy", kHtmlPolicy);
    }
    if (!seen.frame_options) {
      out += "X-Frame-Options: DENY\r\n";
    }
  }
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
  SeenFields seen;
  for (const auto& field : response) {
    if (!is_framing_field(field)) {
      append_field(out, field.name_string(), field.value());
      seen.note(field);
    }
  }
  append_security_headers(out, seen);
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
  if (has_body(status) && !framing.head_only) {
    out += response.body();
  }
}

}  // namespace sre::http
