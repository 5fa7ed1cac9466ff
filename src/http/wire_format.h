// Renders a response into one contiguous buffer, ready for a single write.
//
// Beast's generic serializer presents a message as a long chain of small buffers (each header
// name, separator, value and CRLF) and walks that chain several times per write; for the
// small JSON responses of this API that walk cost more than building the bytes. Rendering
// into a reused string is simpler for the CPU: one pass, one write system call.
//
// The framing fields (Date, Content-Length, Connection) belong to the connection, which knows
// the clock, the body and whether it stays open: they are written here, not stored in the
// message, and any copy a handler set is ignored.
#pragma once

#include <string>
#include <string_view>

#include "http/types.h"

namespace sre::http {

struct Framing {
  bool keep_alive = true;
  std::string_view date;   // IMF-fixdate
  bool head_only = false;  // the answer to HEAD: the GET answer's fields, Content-Length, no body
};

// The security headers every response carries, unless the handler set its own:
//   X-Content-Type-Options: nosniff          always (any copy a handler set is ignored)
//   Cache-Control: no-store                  on JSON: answers about students are not for caches
//   Content-Security-Policy: kHtmlPolicy     on HTML
//   X-Frame-Options: DENY                    on HTML: no page of ours belongs in a frame
inline constexpr std::string_view kHtmlPolicy =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// Clears `out`, then writes status line, header fields, security headers, framing fields,
// blank line and body.
void render_response(const Response& response, const Framing& framing, std::string& out);

}  // namespace sre::http
