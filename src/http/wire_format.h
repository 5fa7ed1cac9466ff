// Renders a response into one contiguous buffer, ready for a single write.
//
// Beast's generic serializer presents a message as a long chain of small buffers (each header
// name, separator, value and CRLF) and walks that chain several times per write; for the
// small JSON responses of this API that walk cost more than building the bytes. Rendering
// into a reused string is simpler for the CPU: one pass, one write system call.
#pragma once

#include <string>

#include "http/types.h"

namespace sre::http {

// Appends status line, header fields, blank line and body to `out` (cleared first). Call
// after prepare_payload(), so Content-Length and Connection are set.
void render_response(const Response& response, std::string& out);

}  // namespace sre::http
