// A JSON object written straight into a string, member by member. The records a request writes
// (a student, the event and audit record of its change) are small, fixed shapes: building a
// Boost.JSON tree to serialise them cost a POST more instructions than everything else it does
// but the database call, in allocations alone. This writes the same bytes as Boost.JSON's
// serializer (members in the order written, string values escaped by append_json_string).
// Keys are the names of a record's fields, spelled in our code: plain ASCII letters, digits and
// '_', written as they are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sre::core {

// Usage:
//   JsonObjectWriter record(out);
//   record.string("id", id);
//   JsonObjectWriter details = record.object("details");
//   details.null("before");
//   details.close();  // a nested object is closed before its parent is written to again
//   record.close();
class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::string& out);

  void string(std::string_view key, std::string_view value);
  void integer(std::string_view key, std::int64_t value);
  void null(std::string_view key);
  // Starts a member whose value is an object, written through the writer returned.
  JsonObjectWriter object(std::string_view key);
  void close();

 private:
  void key(std::string_view key);

  std::string& out_;
  bool first_ = true;
};

}  // namespace sre::core
