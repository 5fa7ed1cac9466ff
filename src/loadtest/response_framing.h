// Where one HTTP/1.1 response ends in the bytes read from a keep-alive connection: the
// status, the length of the head, the Content-Length of the body, and whether the server
// closes after it. Only what a load generator needs to count a response and find the next
// one; the body itself is skipped unread. Pure, no I/O.
//
// Bodies framed by Content-Length (or none: 1xx, 204, 304) are understood. A chunked or
// close-delimited body is refused as a protocol error: the servers this tool measures (the
// API, the grade service, nginx) frame every response with Content-Length, and a tool that
// guessed would miscount the next response.
#pragma once

#include <cstddef>
#include <string_view>

namespace sre::loadtest {

struct ResponseHead {
  enum class State { incomplete, complete, malformed };
  State state = State::incomplete;
  int status = 0;
  std::size_t head_bytes = 0;  // through the blank line
  std::size_t body_bytes = 0;  // Content-Length
  bool close = false;          // Connection: close, or HTTP/1.0 without keep-alive
};

// Reads the head at the start of `bytes`; incomplete until its blank line has arrived.
ResponseHead parse_response_head(std::string_view bytes);

}  // namespace sre::loadtest
