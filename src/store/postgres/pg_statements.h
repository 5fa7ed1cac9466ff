// Every SQL statement the PostgreSQL store runs, by name. Each connection prepares all of
// them once, right after it connects, so a request only sends the name and its parameters
// (no parsing or planning per request). The names also label the query duration histogram.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sre::store {

enum class PgStatementId : std::uint8_t {
  insert_student,
  find_student,
  list_students,
  update_student,
  delete_student,
  ping,
};

struct PgStatement {
  PgStatementId id;
  const char* name;
  const char* sql;
  int parameters;
};

inline constexpr std::size_t kPgStatements = 6;

const std::array<PgStatement, kPgStatements>& pg_statements();
const PgStatement& pg_statement(PgStatementId id);

}  // namespace sre::store
