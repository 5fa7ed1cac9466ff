// A thin RAII layer over one SQLite connection: open with the pragmas we rely on, run SQL,
// and keep prepared statements for reuse. A connection is used by exactly one thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sre::store {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }
  int primary_code() const { return code_ & 0xFF; }
  // Busy, locked, I/O or full disk: worth a retry later, not a bug.
  bool is_transient() const;
  bool is_unique_violation() const { return code_ == SQLITE_CONSTRAINT_UNIQUE; }
  bool is_primary_key_violation() const { return code_ == SQLITE_CONSTRAINT_PRIMARYKEY; }
  // A statement named a table the file does not have: the schema was never migrated.
  bool is_missing_table() const {
    return code_ == SQLITE_ERROR && std::string_view(what()).starts_with("no such table");
  }

 private:
  int code_;
};

// A prepared statement borrowed from the connection's cache; reset when it goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);
  // True when a row is available; false when done. Throws SqliteError.
  bool step();

  std::int64_t column_int64(int index) const;
  std::string column_text(int index) const;

 private:
  sqlite3_stmt* stmt_;
};

class SqliteDatabase {
 public:
  explicit SqliteDatabase(const std::string& path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  void execute(std::string_view sql);
  // Prepares `sql` on first use and reuses it afterwards. `sql` must outlive the connection
  // (string literals), since it keys the cache.
  Statement prepare(std::string_view sql);
  // Runs fn() between BEGIN IMMEDIATE and COMMIT, rolling back if it throws. IMMEDIATE takes
  // the write lock at once, so another process writing the file waits (busy timeout) instead
  // of failing half-way.
  template <typename Fn>
  auto transaction(Fn fn) -> decltype(fn()) {
    execute("BEGIN IMMEDIATE");
    try {
      auto result = fn();
      execute("COMMIT");
      return result;
    } catch (...) {
      rollback();
      throw;
    }
  }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  [[noreturn]] void fail(int code, std::string_view what) const;
  void rollback() noexcept;

  sqlite3* db_ = nullptr;
  std::map<std::string_view, sqlite3_stmt*> statements_;
};

}  // namespace sre::store
