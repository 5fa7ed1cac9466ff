// The checks on a request's head that RFC 9112 asks for and Beast's parser leaves to us, and
// the error codes they fail with. The connection runs them before it reads a body or hands
// the request on; each failure is answered (400 or 414) and the connection closed.
//
// Why each matters:
// - Framing (RFC 9112 6.3): a Transfer-Encoding whose last coding is not `chunked`, or one
//   that comes with a Content-Length, leaves the body's length to interpretation. Beast would
//   read no body, and the body's bytes would be parsed as the next request: a proxy in front
//   that frames it differently forwards a request it never saw (request smuggling).
// - Host (RFC 9112 3.2): exactly one in HTTP/1.1; routing by a second one is how
//   cache-poisoning and virtual-host confusion start.
// - Obsolete line folding (RFC 9112 5.2): a header value continued on the next line. Peers
//   disagree on how to unfold it, so it is refused rather than guessed.
#pragma once

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

#include "http/types.h"

namespace sre::http {

enum class RequestError {
  ambiguous_framing = 1,  // Transfer-Encoding not ending in chunked, or with Content-Length
  missing_host,           // HTTP/1.1 without Host
  repeated_host,          // more than one Host
  obsolete_line_folding,  // a header line starting with a space or tab
  uri_too_long,           // the request line alone does not fit in the head limit
};

boost::system::error_code make_error_code(RequestError error);

// The framing and Host checks on a parsed head; `chunked` is what the parser concluded.
boost::system::error_code check_request_head(const Request& head, bool chunked);

// Whether a raw head (request line and header lines, up to the blank line) folds a line.
bool has_obsolete_line_folding(std::string_view head);

// How many bytes of empty lines (CRLF or bare LF) open `data`. RFC 9112 2.2: a server
// ignores them before a request line (some clients send a CRLF after a POST body).
std::size_t leading_empty_lines(std::string_view data);

// The request target as a URL: origin-form ("/path?query") or absolute-form
// ("http://host/path?query", which a server must accept, RFC 9112 3.2.2). Empty for the
// asterisk-form "*" of `OPTIONS *` (no path: it routes nowhere). nullopt when malformed.
std::optional<boost::urls::url_view> parse_request_target(Verb method, std::string_view target);

// Whether `target` is an origin-form request target ("/path?query", RFC 9112 3.2.1): '/' first,
// then only RFC 3986's path and query characters, every '%' followed by two hex digits. The same
// verdict as Boost.URL's parse_origin_form (request_checks_test compares the two), reached
// without building a URL object, which costs more than routing the request.
bool is_origin_form(std::string_view target);

// Whether parse_request_target would parse `target`; an origin-form one is only checked.
bool is_acceptable_target(Verb method, std::string_view target);

}  // namespace sre::http

template <>
struct boost::system::is_error_code_enum<sre::http::RequestError> : std::true_type {};
