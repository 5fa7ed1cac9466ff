// A JSON object of a fixed shape, written into room reserved at the end of a string. For
// records rendered many times per request (the students of a page): JsonObjectWriter appends
// key and value piece by piece, and each std::string append is a call with a capacity check and
// a call to memcpy; a page of 20 students spent 14,000 instructions on the keys alone. Here the
// member names are literals that the record's code spells with their punctuation, each copied
// with a size known at compile time (a few moves, no call), and values are copied straight in.
//
//   JsonRecordWriter record(out);
//   record.literal(R"({"id":)");
//   record.integer(student.id);
//   record.literal(R"(,"student_id":)");
//   record.string(student.student_id);
//   record.literal("}");
//   // the string ends at the record's last byte once `record` goes out of scope
//
// The output is the bytes JsonObjectWriter writes for the same members (strings escaped by
// append_json_string when they need it). Nothing else may touch `out` while the writer lives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sre::core {

class JsonRecordWriter {
 public:
  // `expected_bytes`: room taken at the start; the writer takes more if the record needs it.
  explicit JsonRecordWriter(std::string& out, std::size_t expected_bytes = 256);
  // Trims `out` to the end of what was written.
  ~JsonRecordWriter();
  JsonRecordWriter(const JsonRecordWriter&) = delete;
  JsonRecordWriter& operator=(const JsonRecordWriter&) = delete;

  // JSON text written as it is: punctuation and member names, e.g. R"(,"grade":)".
  template <std::size_t N>
  void literal(const char (&text)[N]) {
    constexpr std::size_t size = N - 1;  // without the terminating NUL
    make_room(size);
    std::memcpy(next_, text, size);
    next_ += size;
  }
  // A quoted JSON string.
  void string(std::string_view text);
  void integer(std::int64_t value);

 private:
  void make_room(std::size_t bytes) {
    if (static_cast<std::size_t>(end_ - next_) < bytes) {
      grow(bytes);
    }
  }
  void grow(std::size_t bytes);
  // Makes `out_` end `room` bytes after its first `written`, with next_ and end_ around them.
  void take_room(std::size_t written, std::size_t room);
  // Ends the reserved room at `next_`: `out_` holds exactly what was written.
  void trim();

  std::string& out_;
  char* next_ = nullptr;  // where the next byte goes, in out_'s buffer
  char* end_ = nullptr;   // the end of the room: out_.data() + out_.size()
};

}  // namespace sre::core
