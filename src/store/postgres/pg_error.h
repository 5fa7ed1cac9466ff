// What can go wrong talking to PostgreSQL, sorted the way operators look at it: could not
// connect (or lost the connection), too slow, the data broke a constraint, or anything else.
// The kind labels the db_errors_total metric and decides the HTTP answer: connect and
// timeout are "try again later" (503), constraint is handled by the caller (e.g. a new id),
// other is a bug or a schema problem.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace sre::store {

enum class PgErrorKind { connect, timeout, constraint, other };
inline constexpr std::size_t kPgErrorKinds = 4;

inline std::string_view to_string(PgErrorKind kind) {
  switch (kind) {
    case PgErrorKind::connect:
      return "connect";
    case PgErrorKind::timeout:
      return "timeout";
    case PgErrorKind::constraint:
      return "constraint";
    case PgErrorKind::other:
      return "other";
  }
  return "other";
}

class PgError : public std::runtime_error {
 public:
  PgError(PgErrorKind kind, const std::string& message, std::string sqlstate = {},
          std::string constraint = {})
      : std::runtime_error(message),
        kind_(kind),
        sqlstate_(std::move(sqlstate)),
        constraint_(std::move(constraint)) {}
  PgErrorKind kind() const { return kind_; }
  // Five-character SQLSTATE from the server ("23505"), empty for client-side failures.
  const std::string& sqlstate() const { return sqlstate_; }
  bool is_unique_violation() const { return sqlstate_ == "23505"; }
  // The constraint an integrity error names ("idempotency_keys_pkey"), else empty.
  const std::string& constraint() const { return constraint_; }
  // Worth answering 503 + Retry-After: the database may well answer a retry.
  bool is_transient() const {
    return kind_ == PgErrorKind::connect || kind_ == PgErrorKind::timeout;
  }

 private:
  PgErrorKind kind_;
  std::string sqlstate_;
  std::string constraint_;
};

// undefined_table: a statement names a table that is not there (the schema was not migrated).
inline constexpr std::string_view kUndefinedTable = "42P01";

// Sorts a server error by its SQLSTATE class (see PostgreSQL's errcodes appendix).
PgErrorKind classify_sqlstate(std::string_view sqlstate);

}  // namespace sre::store
