#include "store/postgres/pg_error.h"

namespace sre::store {

PgErrorKind classify_sqlstate(std::string_view sqlstate) {
  if (sqlstate == "57014") {  // query_canceled: statement_timeout fired
    return PgErrorKind::timeout;
  }
  if (sqlstate.starts_with("23")) {  // integrity constraint violation
    return PgErrorKind::constraint;
  }
  // Class 08 connection exception; 57P01..57P03 admin/crash shutdown, cannot connect now;
  // 53 insufficient resources (too many connections): all "the database is not available".
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate.starts_with("53")) {
    return PgErrorKind::connect;
  }
  return PgErrorKind::other;
}

}  // namespace sre::store
