#include "loadtest/response_framing.h"

#include <strings.h>

#include <charconv>

namespace sre::loadtest {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool contains_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) {
      return true;
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return false;
}

ResponseHead malformed() {
  ResponseHead head;
  head.state = ResponseHead::State::malformed;
  return head;
}

}  // namespace

ResponseHead parse_response_head(std::string_view bytes) {
  const auto end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return {};
  }
  ResponseHead head;
  head.head_bytes = end + 4;
  std::string_view rest = bytes.substr(0, end + 2);

  // Status line: HTTP/1.x SP 3DIGIT SP reason
  const auto line_end = rest.find("\r\n");
  const std::string_view status_line = rest.substr(0, line_end);
  rest.remove_prefix(line_end + 2);
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ') {
    return malformed();
  }
  const bool http10 = status_line[7] == '0';
  const auto* digits = status_line.data() + 9;
  if (std::from_chars(digits, digits + 3, head.status).ptr != digits + 3 || head.status < 100) {
    return malformed();
  }

  bool has_length = false;
  bool keep_alive = false;
  while (!rest.empty()) {
    const auto eol = rest.find("\r\n");
    const std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      return malformed();
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      std::size_t length = 0;
      if (std::from_chars(value.data(), value.data() + value.size(), length).ptr !=
              value.data() + value.size() ||
          value.empty() || (has_length && length != head.body_bytes)) {
        return malformed();
      }
      head.body_bytes = length;
      has_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      return malformed();  // chunked: see the header
    } else if (iequals(name, "connection")) {
      head.close = head.close || contains_token(value, "close");
      keep_alive = keep_alive || contains_token(value, "keep-alive");
    }
  }
  head.close = head.close || (http10 && !keep_alive);
  const bool bodyless = head.status < 200 || head.status == 204 || head.status == 304;
  if (!has_length && !bodyless) {
    return malformed();  // delimited by the close: see the header
  }
  if (bodyless) {
    head.body_bytes = 0;
  }
  head.state = ResponseHead::State::complete;
  return head;
}

}  // namespace sre::loadtest
