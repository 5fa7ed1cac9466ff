#include "store/sqlite/sqlite_student_store.h"

#include <fmt/format.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "core/clock.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_database.h"
#include "store/sqlite/sqlite_worker.h"
#include "store/student_page.h"

namespace sre::store {

namespace asio = boost::asio;
using domain::Student;

namespace {

constexpr std::string_view kSelectColumns =
    "id, student_id, first_name, last_name, grade, created_at, updated_at";

Student read_student(const Statement& row) {
  return Student{row.column_int64(0),
                 row.column_text(1),
                 row.column_text(2),
                 row.column_text(3),
                 static_cast<int>(row.column_int64(4)),
                 row.column_text(5),
                 row.column_text(6)};
}

std::string now_text() {
  return core::rfc3339_micros(std::chrono::system_clock::now());
}

// The time `age` ago, as stored timestamps are written: RFC 3339 text of one width compares
// in time order.
std::string text_ago(std::chrono::seconds age) {
  return core::rfc3339_micros(std::chrono::system_clock::now() - age);
}

// Thrown inside insert()'s transaction when the idempotency key is taken, to roll the student
// back with it.
struct KeyTakenRollback {};

void insert_outbox_records(SqliteDatabase& db, const std::string& student_id,
                           const OutboxRecords& records, const std::string& now) {
  db.prepare(
        "INSERT INTO outbox_events (event_id, event_type, student_id, body, created_at) "
        "VALUES (?, ?, ?, ?, ?)")
      .bind(1, records.event_id)
      .bind(2, records.event_type)
      .bind(3, student_id)
      .bind(4, records.event_body)
      .bind(5, now)
      .step();
  db.prepare(
        "INSERT INTO audit_records (audit_id, student_id, body, created_at) VALUES (?, ?, ?, ?)")
      .bind(1, records.audit_id)
      .bind(2, student_id)
      .bind(3, records.audit_record)
      .bind(4, now)
      .step();
}

void store_idempotency_key(SqliteDatabase& db, const IdempotencyKey& key, const Student& student,
                           const std::string& now) {
  db.prepare(
        "INSERT INTO idempotency_keys (key, request_fingerprint, student_pk, student_id, "
        "first_name, last_name, grade, created_at, updated_at, stored_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, key.key)
      .bind(2, key.request_fingerprint)
      .bind(3, student.id)
      .bind(4, student.student_id)
      .bind(5, student.first_name)
      .bind(6, student.last_name)
      .bind(7, static_cast<std::int64_t>(student.grade))
      .bind(8, student.created_at)
      .bind(9, student.updated_at)
      .bind(10, now)
      .step();
}

void create_migrations_table(SqliteDatabase& db) {
  db.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
      " applied_at TEXT NOT NULL)");
}

std::vector<AppliedMigration> read_applied(SqliteDatabase& db) {
  auto rows = db.prepare(
      "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
  std::vector<AppliedMigration> applied;
  while (rows.step()) {
    applied.push_back({static_cast<int>(rows.column_int64(0)), rows.column_text(1),
                       rows.column_text(2), rows.column_text(3)});
  }
  return applied;
}

// Returns how many were applied.
int apply_migrations(SqliteDatabase& db) {
  create_migrations_table(db);
  // IMMEDIATE takes the write lock now, so two processes starting together migrate in turn.
  db.execute("BEGIN IMMEDIATE");
  try {
    auto pending = pending_migrations(sqlite_migrations(), read_applied(db));
    for (const Migration* migration : pending) {
      db.execute(migration->sql);
      db.prepare(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
            "VALUES (?, ?, ?, ?)")
          .bind(1, static_cast<std::int64_t>(migration->version))
          .bind(2, migration->name)
          .bind(3, checksum(migration->sql))
          .bind(4, now_text())
          .step();
      log::info("migration applied", {{"version", migration->version}, {"name", migration->name}});
    }
    db.execute("COMMIT");
    return static_cast<int>(pending.size());
  } catch (...) {
    db.execute("ROLLBACK");
    throw;
  }
}

}  // namespace

SqliteStudentStore::SqliteStudentStore(std::string path, unsigned reader_threads)
    : path_(std::move(path)), writer_(std::make_unique<SqliteWorker>(path_)) {
  for (unsigned i = 0; i < std::max(1U, reader_threads); ++i) {
    readers_.push_back(std::make_unique<SqliteWorker>(path_));
  }
}

SqliteStudentStore::~SqliteStudentStore() = default;

SqliteWorker& SqliteStudentStore::next_reader() {
  // Round robin. One relaxed atomic add per read: far cheaper than the hop to the reader
  // thread it picks, and correct from any thread (I/O threads, migrations, tests).
  return *readers_[next_reader_.fetch_add(1, std::memory_order_relaxed) % readers_.size()];
}

int SqliteStudentStore::migrate() {
  return writer_->run_blocking([](SqliteDatabase& db) { return apply_migrations(db); });
}

std::vector<AppliedMigration> SqliteStudentStore::applied_migrations() {
  return writer_->run_blocking([](SqliteDatabase& db) {
    create_migrations_table(db);
    return read_applied(db);
  });
}

asio::awaitable<InsertOutcome> SqliteStudentStore::insert(std::string student_id,
                                                          domain::StudentFields fields,
                                                          std::optional<OutboxRecords> records,
                                                          std::optional<IdempotencyKey> key) {
  return writer_->run([id = std::move(student_id), fields = std::move(fields),
                       records = std::move(records),
                       key = std::move(key)](SqliteDatabase& db) -> InsertOutcome {
    std::string now = now_text();
    Student student{0, id, *fields.first_name, *fields.last_name, *fields.grade, now, now};
    try {
      return db.transaction([&]() -> InsertOutcome {
        try {
          db.prepare(
                "INSERT INTO students (student_id, first_name, last_name, grade, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)")
              .bind(1, student.student_id)
              .bind(2, student.first_name)
              .bind(3, student.last_name)
              .bind(4, static_cast<std::int64_t>(student.grade))
              .bind(5, student.created_at)
              .bind(6, student.updated_at)
              .step();
        } catch (const SqliteError& e) {
          if (e.is_unique_violation()) {  // student_id is the only unique column
            return StudentIdTaken{};
          }
          throw;
        }
        student.id = db.last_insert_rowid();
        if (records) {
          insert_outbox_records(db, student.student_id, *records, now);
        }
        if (key) {
          try {
            store_idempotency_key(db, *key, student, now);
          } catch (const SqliteError& e) {
            if (e.is_primary_key_violation()) {
              throw KeyTakenRollback{};  // undo the student too; caught just below
            }
            throw;
          }
        }
        return student;
      });
    } catch (const KeyTakenRollback&) {
      return IdempotencyKeyTaken{};
    }
  });
}

asio::awaitable<std::optional<IdempotentAnswer>> SqliteStudentStore::find_idempotent_answer(
    std::string key, std::chrono::seconds ttl) {
  return next_reader().run([key = std::move(key), ttl](SqliteDatabase& db) {
    auto row = db.prepare(
        "SELECT request_fingerprint, student_pk, student_id, first_name, last_name, grade, "
        "created_at, updated_at FROM idempotency_keys WHERE key = ? AND stored_at > ?");
    row.bind(1, key).bind(2, text_ago(ttl));
    if (!row.step()) {
      return std::optional<IdempotentAnswer>();
    }
    return std::optional<IdempotentAnswer>(IdempotentAnswer{
        row.column_text(0),
        Student{row.column_int64(1), row.column_text(2), row.column_text(3), row.column_text(4),
                static_cast<int>(row.column_int64(5)), row.column_text(6), row.column_text(7)}});
  });
}

asio::awaitable<bool> SqliteStudentStore::forget_expired_key(std::string key,
                                                             std::chrono::seconds ttl) {
  return writer_->run([key = std::move(key), ttl](SqliteDatabase& db) {
    db.prepare("DELETE FROM idempotency_keys WHERE key = ? AND stored_at <= ?")
        .bind(1, key)
        .bind(2, text_ago(ttl))
        .step();
    return db.changes() > 0;
  });
}

asio::awaitable<std::int64_t> SqliteStudentStore::prune_idempotency_keys(std::chrono::seconds ttl) {
  return writer_->run([ttl](SqliteDatabase& db) {
    db.prepare("DELETE FROM idempotency_keys WHERE stored_at <= ?").bind(1, text_ago(ttl)).step();
    return static_cast<std::int64_t>(db.changes());
  });
}

asio::awaitable<std::optional<Student>> SqliteStudentStore::find(std::string student_id) {
  return next_reader().run([id = std::move(student_id)](SqliteDatabase& db) {
    static const std::string sql =
        fmt::format("SELECT {} FROM students WHERE student_id = ?", kSelectColumns);
    auto row = db.prepare(sql);
    row.bind(1, id);
    return row.step() ? std::optional<Student>(read_student(row)) : std::nullopt;
  });
}

asio::awaitable<ListOutcome> SqliteStudentStore::list(domain::Page page) {
  return next_reader().run([page = std::move(page)](SqliteDatabase& db) {
    // Keyset: a range of the rowid from the cursor's own row on (its id found through the
    // student_id index), so the last page costs what the first does. Offset: SQLite steps
    // over `skip` rows one by one.
    static const std::string keyset_sql = fmt::format(
        "SELECT {} FROM students WHERE id >= (SELECT id FROM students WHERE student_id = ?) "
        "ORDER BY id LIMIT ?",
        kSelectColumns);
    static const std::string offset_sql =
        fmt::format("SELECT {} FROM students ORDER BY id LIMIT ? OFFSET ?", kSelectColumns);
    auto rows = db.prepare(page.after ? keyset_sql : offset_sql);
    if (page.after) {
      rows.bind(1, *page.after).bind(2, rows_to_fetch(page));
    } else {
      rows.bind(1, rows_to_fetch(page)).bind(2, page.skip);
    }
    std::vector<Student> students;
    while (rows.step()) {
      students.push_back(read_student(rows));
    }
    return page_of_students(std::move(students), page);
  });
}

asio::awaitable<std::optional<Student>> SqliteStudentStore::update(
    std::string student_id, domain::StudentFields fields,
    std::optional<std::string> expected_updated_at, std::optional<OutboxRecords> records) {
  return writer_->run([id = std::move(student_id), fields = std::move(fields),
                       expected = std::move(expected_updated_at),
                       records = std::move(records)](SqliteDatabase& db) {
    // One statement for PUT and PATCH: a NULL parameter keeps the current value. With an
    // expected updated_at it is a compare and set (see StudentStore::update).
    static const std::string sql = fmt::format(
        "UPDATE students SET first_name = COALESCE(?1, first_name), "
        "last_name = COALESCE(?2, last_name), grade = COALESCE(?3, grade), updated_at = ?4 "
        "WHERE student_id = ?5 AND (?6 IS NULL OR updated_at = ?6) RETURNING {}",
        kSelectColumns);
    const std::string now = now_text();
    return db.transaction([&] {
      std::optional<Student> updated;
      {
        auto row = db.prepare(sql);
        fields.first_name ? row.bind(1, *fields.first_name) : row.bind_null(1);
        fields.last_name ? row.bind(2, *fields.last_name) : row.bind_null(2);
        fields.grade ? row.bind(3, static_cast<std::int64_t>(*fields.grade)) : row.bind_null(3);
        row.bind(4, now).bind(5, id);
        expected ? row.bind(6, *expected) : row.bind_null(6);
        if (row.step()) {
          updated = read_student(row);
          while (row.step()) {
          }  // finish the statement before the next one
        }
      }
      if (updated && records) {
        insert_outbox_records(db, id, *records, now);
      }
      return updated;
    });
  });
}

asio::awaitable<bool> SqliteStudentStore::remove(std::string student_id,
                                                 std::optional<std::string> expected_updated_at,
                                                 std::optional<OutboxRecords> records) {
  return writer_->run([id = std::move(student_id), expected = std::move(expected_updated_at),
                       records = std::move(records)](SqliteDatabase& db) {
    return db.transaction([&] {
      {
        auto statement = db.prepare(
            "DELETE FROM students WHERE student_id = ? AND (?2 IS NULL OR updated_at = ?2)");
        statement.bind(1, id);
        expected ? statement.bind(2, *expected) : statement.bind_null(2);
        statement.step();
      }
      const bool removed = db.changes() > 0;
      if (removed && records) {
        insert_outbox_records(db, id, *records, now_text());
      }
      return removed;
    });
  });
}

asio::awaitable<void> SqliteStudentStore::ping() {
  // Reads the schema table: proves the file is there and readable, not just the library.
  co_await next_reader().run([](SqliteDatabase& db) {
    db.prepare("SELECT count(*) FROM schema_migrations").step();
    return true;
  });
}

}  // namespace sre::store
