#include "http/request_checks.h"

#include <array>
#include <boost/url/parse.hpp>
#include <string>

namespace sre::http {
namespace {

class RequestErrorCategory : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "http request"; }
  std::string message(int value) const override {
    switch (static_cast<RequestError>(value)) {
      case RequestError::ambiguous_framing:
        return "Transfer-Encoding must end in chunked and come without Content-Length";
      case RequestError::missing_host:
        return "missing Host header";
      case RequestError::repeated_host:
        return "more than one Host header";
      case RequestError::obsolete_line_folding:
        return "obsolete line folding in a header";
      case RequestError::uri_too_long:
        return "request target too long";
    }
    return "malformed request";
  }
};

const RequestErrorCategory& category() {
  static const RequestErrorCategory instance;
  return instance;
}

// RFC 3986: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; a path adds "/", a query
// "/" and "?". Percent-encoding is checked apart.
constexpr std::array<bool, 256> kTargetCharacters = [] {
  std::array<bool, 256> allowed{};
  for (unsigned char c : std::string_view("-._~!$&'()*+,;=:@/?")) {
    allowed[c] = true;
  }
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    allowed[c] = allowed[c] || alpha || (c >= '0' && c <= '9');
  }
  return allowed;
}();

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

boost::system::error_code make_error_code(RequestError error) {
  return {static_cast<int>(error), category()};
}

boost::system::error_code check_request_head(const Request& head, bool chunked) {
  if (head.find(beast_http::field::transfer_encoding) != head.end()) {
    if (!chunked || head.find(beast_http::field::content_length) != head.end()) {
      return RequestError::ambiguous_framing;
    }
  }
  if (head.version() >= 11) {
    const std::size_t hosts = head.count(beast_http::field::host);
    if (hosts == 0) {
      return RequestError::missing_host;
    }
    if (hosts > 1) {
      return RequestError::repeated_host;
    }
  }
  return {};
}

bool has_obsolete_line_folding(std::string_view head) {
  for (auto newline = head.find('\n'); newline != std::string_view::npos;
       newline = head.find('\n', newline + 1)) {
    if (newline + 1 < head.size() && (head[newline + 1] == ' ' || head[newline + 1] == '\t')) {
      return true;
    }
  }
  return false;
}

std::size_t leading_empty_lines(std::string_view data) {
  std::size_t skipped = 0;
  for (;;) {
    std::string_view rest = data.substr(skipped);
    if (rest.starts_with("\r\n")) {
      skipped += 2;
    } else if (rest.starts_with('\n')) {
      skipped += 1;
    } else {
      return skipped;
    }
  }
}

std::optional<boost::urls::url_view> parse_request_target(Verb method, std::string_view target) {
  if (target.starts_with('/')) {
    auto url = boost::urls::parse_origin_form(target);
    return url ? std::optional(*url) : std::nullopt;
  }
  if (target == "*") {
    if (method != Verb::options) {
      return std::nullopt;
    }
    // The empty reference, parsed: a default-constructed url_view does not survive a copy in
    // Boost 1.81 (its segments read garbage).
    return *boost::urls::parse_relative_ref("");
  }
  auto url = boost::urls::parse_absolute_uri(target);
  if (!url || (url->scheme_id() != boost::urls::scheme::http &&
               url->scheme_id() != boost::urls::scheme::https)) {
    return std::nullopt;
  }
  return *url;
}

bool is_origin_form(std::string_view target) {
  if (!target.starts_with('/')) {
    return false;
  }
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] == '%') {
      if (target.size() - i < 3 || !is_hex_digit(target[i + 1]) || !is_hex_digit(target[i + 2])) {
        return false;
      }
      i += 2;
    } else if (!kTargetCharacters[static_cast<unsigned char>(target[i])]) {
      return false;
    }
  }
  return true;
}

bool is_acceptable_target(Verb method, std::string_view target) {
  return target.starts_with('/') ? is_origin_form(target)
                                 : parse_request_target(method, target).has_value();
}

}  // namespace sre::http
