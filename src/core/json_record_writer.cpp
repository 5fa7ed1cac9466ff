#include "core/json_record_writer.h"

#include <algorithm>
#include <charconv>

#include "core/json_string.h"

namespace sre::core {

namespace {

constexpr std::size_t kIntegerBytes = 20;  // -9223372036854775808

}  // namespace

JsonRecordWriter::JsonRecordWriter(std::string& out, std::size_t expected_bytes) : out_(out) {
  take_room(out_.size(), expected_bytes);
}

JsonRecordWriter::~JsonRecordWriter() {
  trim();
}

void JsonRecordWriter::trim() {
  out_.resize(static_cast<std::size_t>(next_ - out_.data()));
}

void JsonRecordWriter::take_room(std::size_t written, std::size_t room) {
  out_.resize(written + room);
  next_ = out_.data() + written;
  end_ = out_.data() + out_.size();
}

void JsonRecordWriter::grow(std::size_t bytes) {
  const auto written = static_cast<std::size_t>(next_ - out_.data());
  take_room(written, std::max(out_.size() * 2 - written, bytes));
}

void JsonRecordWriter::string(std::string_view text) {
  if (is_plain_json_text(text)) {
    make_room(text.size() + 2);
    *next_++ = '"';
    std::memcpy(next_, text.data(), text.size());
    next_ += text.size();
    *next_++ = '"';
    return;
  }
  // Rare (a name with a quote or an accent): escaped by the one function that escapes, then
  // the room that was left is taken again.
  const auto room = static_cast<std::size_t>(end_ - next_);
  trim();
  append_json_string(out_, text);
  take_room(out_.size(), room);
}

void JsonRecordWriter::integer(std::int64_t value) {
  make_room(kIntegerBytes);
  next_ = std::to_chars(next_, end_, value).ptr;
}

}  // namespace sre::core
