#include "core/json_object_writer.h"

#include <charconv>

#include "core/json_string.h"

namespace sre::core {

JsonObjectWriter::JsonObjectWriter(std::string& out) : out_(out) {
  out_ += '{';
}

void JsonObjectWriter::key(std::string_view key) {
  if (!first_) {
    out_ += ',';
  }
  first_ = false;
  out_ += '"';
  out_ += key;
  out_ += "\":";
}

void JsonObjectWriter::string(std::string_view key, std::string_view value) {
  this->key(key);
  append_json_string(out_, value);
}

void JsonObjectWriter::integer(std::string_view key, std::int64_t value) {
  this->key(key);
  char digits[24];  // -9223372036854775808 is 20 characters
  const std::to_chars_result written = std::to_chars(std::begin(digits), std::end(digits), value);
  out_.append(digits, written.ptr);
}

void JsonObjectWriter::null(std::string_view key) {
  this->key(key);
  out_ += "null";
}

JsonObjectWriter JsonObjectWriter::object(std::string_view key) {
  this->key(key);
  return JsonObjectWriter(out_);
}

void JsonObjectWriter::close() {
  out_ += '}';
}

}  // namespace sre::core
