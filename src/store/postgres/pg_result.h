// Ownership of a libpq PGresult (freed with PQclear) and the few accessors the store uses.
// Values arrive in text format: we ask for text results, which keeps the code readable and
// costs little for rows this small.
#pragma once

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace sre::store {

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* raw) : raw_(raw) {}

  explicit operator bool() const { return raw_ != nullptr; }
  PGresult* get() const { return raw_.get(); }
  ExecStatusType status() const { return PQresultStatus(raw_.get()); }
  int rows() const { return PQntuples(raw_.get()); }
  // Rows changed by INSERT/UPDATE/DELETE.
  long affected() const { return std::strtol(PQcmdTuples(raw_.get()), nullptr, 10); }
  std::string text(int row, int column) const { return std::string(text_view(row, column)); }
  // The value as it is in the result: valid as long as the result is.
  std::string_view text_view(int row, int column) const {
    return {PQgetvalue(raw_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(raw_.get(), row, column))};
  }
  // The column's integer; 0 for NULL or anything that is not one (from_chars, unlike strtoll,
  // does not consult the locale: a page of 20 students parses 40 of these).
  long long integer(int row, int column) const {
    const char* text = PQgetvalue(raw_.get(), row, column);
    const char* end = text + PQgetlength(raw_.get(), row, column);
    long long value = 0;
    std::from_chars(text, end, value);
    return value;
  }

 private:
  std::unique_ptr<PGresult, PgResultDeleter> raw_;
};

}  // namespace sre::store
