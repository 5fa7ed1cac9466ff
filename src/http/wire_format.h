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
  std::string_view date;  // IMF-fixdate
};

// Clears `out`, then writes status line, header fields, framing fields, blank line and body.
void render_response(const Response& response, const Framing& framing, std::string& out);

}  // namespace sre::http
