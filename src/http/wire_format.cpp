#include "http/wire_format.h"

#include <array>
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

// Single characters go in with push_back, which is inlined; an append of two bytes is a call.
void append_line_end(std::string& out) {
  out.push_back('\r');
  out.push_back('\n');
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out.push_back(':');
  out.push_back(' ');
  out += value;
  append_line_end(out);
}

// RFC 9112 4: the status code is always three digits.
void append_status_line(std::string& out, bool http10, unsigned status, std::string_view reason) {
  out += http10 ? std::string_view("HTTP/1.0 ") : std::string_view("HTTP/1.1 ");
  const std::array<char, 4> code{static_cast<char>('0' + status / 100 % 10),
                                 static_cast<char>('0' + status / 10 % 10),
                                 static_cast<char>('0' + status % 10), ' '};
  out.append(code.data(), code.size());
  out += reason;
  append_line_end(out);
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
  if (content_type.size() < media_type.size()) {
    return false;
  }
  const std::string_view type = content_type.substr(0, media_type.size());
  // Handlers write it in lower case; compared exactly first, that costs no case folding.
  return (type == media_type || beast::iequals(type, media_type)) &&
         (content_type.size() == media_type.size() || content_type[media_type.size()] == ';' ||
          content_type[media_type.size()] == ' ');
}

void append_security_headers(std::string& out, const SeenFields& seen) {
  using namespace std::string_view_literals;
  out += "X-Content-Type-Options: nosniff\r\n"sv;
  if (is_media_type(seen.content_type, "application/json")) {
    if (!seen.cache_control) {
      out += "Cache-Control: no-store\r\n"sv;
    }
  } else if (is_media_type(seen.content_type, "text/html")) {
    if (!seen.content_security_policy) {
      append_field(out, "Content-Security-Policy", kHtmlPolicy);
    }
    if (!seen.frame_options) {
      out += "X-Frame-Options: DENY\r\n"sv;
    }
  }
}

}  // namespace

void render_response(const Response& response, const Framing& framing, std::string& out) {
  const unsigned status = response.result_int();
  const bool http10 = response.version() == 10;
  out.clear();
  out.reserve(256 + response.body().size());
  const std::string_view reason = response.reason();
  append_status_line(
      out, http10, status,
      reason.empty() ? std::string_view(beast_http::obsolete_reason(response.result())) : reason);
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
    out += std::string_view("Content-Length: ");
    append_number(out, response.body().size());
    append_line_end(out);
  }
  if (!framing.keep_alive) {
    append_field(out, "Connection", "close");
  } else if (http10) {
    append_field(out, "Connection", "keep-alive");  // 1.0 closes unless told otherwise
  }
  append_line_end(out);
  if (has_body(status) && !framing.head_only) {
    out += response.body();
  }
}

}  // namespace sre::http
